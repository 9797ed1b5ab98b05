import Foundation

/// A fresh folder under the system's temporary directory, deleted by `remove()` or when the object goes away: the
/// one temporary-folder helper of the test targets (scratch databases, copied models, input files, a child process's
/// output).
public final class TemporaryFolder: @unchecked Sendable {
    public let url: URL

    /// Creates `<tmp>/<prefix>-<UUID>`; the prefix says which tests left a folder behind after a crash.
    public init(_ prefix: String = "querykind-test") throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { remove() }

    /// Deletes the folder now (XCTest keeps test-case objects, and what they hold, until the suite ends).
    public func remove() { try? FileManager.default.removeItem(at: url) }

    /// The path of `name` inside the folder (nothing is created).
    public func file(_ name: String) -> URL { url.appendingPathComponent(name) }
}
