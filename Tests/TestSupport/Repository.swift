import Foundation

/// Paths inside this checkout, found from this file's own place (`Tests/TestSupport/`): the one way the test targets
/// reach the repository's files (fixtures, migrations, the shipped model), whatever folder the tests run in.
public enum Repository {
    /// The checkout's root folder.
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// `path` (relative to the root, e.g. `Migrations/postgres`).
    public static func url(_ path: String) -> URL { root.appendingPathComponent(path) }

    /// The engine's fixtures (`Tests/BertClassifierTests/Fixtures`): the tiny models and their expected outputs.
    public static let modelFixtures = url("Tests/BertClassifierTests/Fixtures")
}
