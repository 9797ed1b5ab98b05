import LabelStore

/// The SQLite schema's numbered migrations, from `Migrations/NNN_name.sql`; applied by `migrate()`
/// (`LabelDatabase+Migrate.swift`).
public enum SQLiteMigrations {
    /// Every migration, in order. Add a line here with each new `Migrations/NNN_name.sql` file
    /// (a test fails when a file in the folder is missing from this list). SwiftPM names the embedded
    /// bytes after the file, with a leading digit replaced: `002_more.sql` → `PackageResources._02_more_sql`.
    public static let all: [Migration] = [
        Migration(version: 1, name: "001_initial", bytes: PackageResources._01_initial_sql),
        Migration(version: 2, name: "002_run_retries", bytes: PackageResources._02_run_retries_sql),
        Migration(version: 3, name: "003_reviews", bytes: PackageResources._03_reviews_sql),
    ]

    /// The newest schema version this binary knows.
    public static var latestVersion: Int { all.last?.version ?? 0 }
}
