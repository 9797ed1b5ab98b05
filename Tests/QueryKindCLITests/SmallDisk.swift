import Foundation
import XCTest

/// A small real file system to fill: a tmpfs mounted for one test.
extension XCTestCase {
    /// Mounts a tmpfs of `megabytes` at `directory` (unmounted, and the folder above it removed, when the test
    /// ends), or skips the test where that is not allowed (not root, or no CAP_SYS_ADMIN in a container).
    func mountSmallDisk(at directory: URL, megabytes: Int) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        guard geteuid() == 0 else {
            throw XCTSkip("a full disk is made by mounting a small tmpfs, which needs root; this run is not root")
        }
        let mount = try runTool("mount", ["-t", "tmpfs", "-o", "size=\(megabytes)m,mode=0755", "querykind-test",
                                          directory.path])
        guard mount.status == 0 else {
            let reason = mount.output.trimmingCharacters(in: .whitespacesAndNewlines)
            throw XCTSkip("a full disk is made by mounting a small tmpfs, which failed here (\(reason)); "
                          + "a container needs CAP_SYS_ADMIN for it")
        }
        let folder = directory.deletingLastPathComponent()
        addTeardownBlock { [self] in
            // Teardown blocks run last-registered first, so the test's child is gone by now; a lazy unmount
            // covers a handle still open.
            if (try? runTool("umount", [directory.path]))?.status != 0 {
                _ = try? runTool("umount", ["-l", directory.path])
            }
            try? FileManager.default.removeItem(at: folder)
        }
    }

    /// Writes `file` until the file system has no room left; returns the bytes written.
    func fillDisk(with file: URL) throws -> Int {
        let descriptor = open(file.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(descriptor) }
        let chunk = [UInt8](repeating: 0x51, count: 64 * 1024)
        var total = 0
        while true {
            let written = chunk.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written > 0 { total += written; continue }
            guard written < 0 && errno == ENOSPC else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            break
        }
        // A one-byte write at the end fails too: the file system is full to the last page.
        XCTAssertEqual(chunk.withUnsafeBytes { write(descriptor, $0.baseAddress, 1) }, -1)
        XCTAssertGreaterThan(total, 0)
        return total
    }

    /// Runs a system tool (`mount`, `umount`) found in the usual places, with its output.
    private func runTool(_ name: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        guard let path = ["/usr/bin/", "/bin/", "/usr/sbin/", "/sbin/"].map({ $0 + name })
            .first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            return (127, "\(name) not found")
        }
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("querykind-\(name)-\(UUID()).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let handle = try FileHandle(forWritingTo: log)
        defer { try? handle.close() }
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let output = try CommandRunner.finish(process, stdout: log, stderr: log, within: 30)
        return (output.status, output.stdout)
    }
}
