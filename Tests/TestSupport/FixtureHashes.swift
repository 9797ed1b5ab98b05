import Crypto
import Foundation

/// Committed fixture files pinned by SHA-256: the one helper behind each test target's `*FixtureHashTests`, so a
/// regenerated or edited fixture fails a test (and a deliberate change is made in that test, in review) instead of
/// silently moving what a test measures against.
///
/// Hashing is in-process (swift-crypto, already a dependency of the engine), so no child process is waited for.
public enum FixtureHashes {
    /// The generator scripts (`*.py`) and Python's caches are code, not fixtures: never pinned.
    private static func isCode(_ relativePath: String) -> Bool {
        relativePath.hasSuffix(".py") || relativePath.split(separator: "/").contains("__pycache__")
    }

    /// Path (relative to `root`) → SHA-256 (lower-case hex) of every regular file under `root`, at any depth,
    /// except code.
    private static func sha256s(under root: URL) throws -> [String: String] {
        guard let enumerator = FileManager.default.enumerator(atPath: root.path) else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: root.path])
        }
        var sums: [String: String] = [:]
        for case let file as String in enumerator where !isCode(file) {
            let url = root.appendingPathComponent(file)
            var directory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &directory), !directory.boolValue
            else { continue }
            sums[file] = try sha256(of: url)
        }
        return sums
    }

    /// The SHA-256 of one file's bytes, read in 1 MiB chunks, as lower-case hex (what `sha256sum` prints).
    private static func sha256(of url: URL) throws -> String {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// How the files under `root` (code aside) differ from `pinned` (path → SHA-256): one line per changed, added
    /// or removed file, each with its current hash, so a deliberate change can be copied into the pin list. Empty
    /// when every file matches.
    public static func mismatches(under root: URL, pinned: [String: String]) throws -> [String] {
        let actual = try sha256s(under: root)
        return Set(actual.keys).union(pinned.keys).sorted().compactMap { file in
            switch (pinned[file], actual[file]) {
            case let (pin?, now?) where pin != now: "\(file): pinned \(pin), now \(now)"
            case (nil, let now?): "\(file): added, not pinned (now \(now))"
            case (_?, nil): "\(file): pinned but missing"
            default: nil
            }
        }
    }
}
