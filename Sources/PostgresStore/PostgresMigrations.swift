import Foundation
import LabelStore

/// The PostgreSQL schema's numbered migrations, from `Migrations/postgres/NNN_name.sql`, embedded as the SQLite ones
/// are; applied by `migrate()` (`LabelDatabase+Migrate.swift`).
public enum PostgresMigrations {
    /// Every migration, in order; add a line with each new file.
    public static let all: [Migration] = [
        Migration(version: 1, name: "001_initial", bytes: PackageResources._01_initial_sql),
        Migration(version: 2, name: "002_reviews", bytes: PackageResources._02_reviews_sql),
    ]
}

extension Migration {
    /// The script's statements (`statements(of:)`).
    var statements: [String] { Self.statements(of: sql) }

    /// `sql`'s statements, split at semicolons outside quotes and `--` comments (PostgresNIO sends one statement
    /// per message, through the extended protocol). Migration files use no dollar-quoted bodies.
    static func statements(of sql: String) -> [String] {
        var statements: [String] = []
        var current = ""
        var quote: Character?
        var inComment = false
        for character in sql {
            if inComment {
                if character == "\n" { inComment = false }
                continue
            }
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "'" || character == "\"" {
                quote = character
            } else if character == "-" && current.last == "-" {
                current.removeLast()
                inComment = true
                continue
            } else if character == ";" {
                statements.append(current)
                current = ""
                continue
            }
            current.append(character)
        }
        statements.append(current)
        return statements.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }
}
