import Foundation
import XCTest

/// The restart at launch: when OpenBLAS reports a kernel family slower than the CPU supports and the user has not
/// chosen one, `querykind` sets `OPENBLAS_CORETYPE` and executes itself again, once.
///
/// A misdetecting CPU cannot be summoned on demand, so a small preloaded library stands in for OpenBLAS's report:
/// it answers `openblas_get_corename` with the slow `Prescott` family and, each time it is loaded (once per
/// executable image), appends the `OPENBLAS_CORETYPE` it sees to a log. Only `--help` runs, so no matrix product
/// ever uses the kernels chosen.
final class OpenBLASRestartTests: XCTestCase {
    private let shim = """
        #include <stdio.h>
        #include <stdlib.h>
        __attribute__((constructor)) static void record(void) {
            const char *log = getenv("QUERYKIND_TEST_CORETYPE_LOG");
            if (!log) return;
            FILE *file = fopen(log, "a");
            if (!file) return;
            const char *core = getenv("OPENBLAS_CORETYPE");
            fprintf(file, "%s\\n", core ? core : "(unset)");
            fclose(file);
        }
        char *openblas_get_corename(void) { return "Prescott"; }
        """

    private func compileShim(in folder: URL) throws -> URL {
        let source = folder.appendingPathComponent("corename.c"), library = folder.appendingPathComponent("corename.so")
        try Data(shim.utf8).write(to: source)
        let compiler = ["/usr/bin/cc", "/usr/bin/gcc", "/opt/swift/usr/bin/clang"]
            .first { FileManager.default.isExecutableFile(atPath: $0) }
        let output = try CommandRunner.run(["-shared", "-fPIC", "-o", library.path, source.path], in: folder,
                                           executable: URL(fileURLWithPath: try XCTUnwrap(compiler, "no C compiler")))
        XCTAssertEqual(output.status, 0, output.stderr)
        return library
    }

    func testMisdetectedKernelsRestartOnceWithTheFittingCoreType() throws {
        let folder = try CLIFolder()
        let library = try compileShim(in: folder.url)
        let log = folder.url.appendingPathComponent("coretypes.log")
        let output = try CommandRunner.run(["--help"], in: folder.url, environment: [
            "LD_PRELOAD": library.path, "QUERYKIND_TEST_CORETYPE_LOG": log.path, "OPENBLAS_CORETYPE": nil,
        ])
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertTrue(output.stdout.contains("USAGE"), "the restarted process ran the command")
        let loads = try String(contentsOf: log, encoding: .utf8).split(separator: "\n").map(String.init)
        let fitting = ["Cooperlake", "SkylakeX", "Haswell"]
        XCTAssertEqual(loads.count, 2, "one start, one restart: \(loads)")
        XCTAssertEqual(loads.first, "(unset)")
        XCTAssertTrue(fitting.contains(loads.last ?? ""), "restarted with a fitting family: \(loads)")
    }

    func testAChosenCoreTypeIsNeverOverridden() throws {
        let folder = try CLIFolder()
        let library = try compileShim(in: folder.url)
        let log = folder.url.appendingPathComponent("coretypes.log")
        let output = try CommandRunner.run(["--help"], in: folder.url, environment: [
            "LD_PRELOAD": library.path, "QUERYKIND_TEST_CORETYPE_LOG": log.path, "OPENBLAS_CORETYPE": "Prescott",
        ])
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertEqual(try String(contentsOf: log, encoding: .utf8), "Prescott\n", "no restart")
    }
}
