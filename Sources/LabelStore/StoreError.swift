/// Setup problems a person must fix before querykind touches the database; each reads as one line.
public enum StoreError: Error, CustomStringConvertible, Equatable, Sendable {
    case missingDatabase(path: String)
    case readOnlyDatabase(path: String, reason: String)
    case missingTable(table: String, path: String)
    case missingColumn(column: String, table: String, available: [String])
    case nonIntegerID(column: String, table: String, example: String)
    case newerSchema(found: Int, known: Int)
    case migrationMismatch(version: Int, found: String, expected: String)
    case notMigrated(path: String)
    case otherSourceTable(labeled: String, requested: String)
    case damagedDatabase(path: String, reason: String)
    case noRowid(table: String, kind: String)
    case nameClash(object: SchemaObject, path: String)
    /// The source table has a column named like one the `<table>_labeled` view adds (`kind`, `model`, ...).
    case labelColumnClash(column: String, table: String)
    case missingObjects([SchemaObject], path: String)
    /// A migration's script failed (rolled back, nothing of it kept): its name and the engine's message.
    case migrationFailed(name: String, reason: String)
    case unrecordedSchema([SchemaObject], path: String)
    case labelerRunning(LiveRun, table: String)

    public var description: String {
        switch self {
        case .missingDatabase(let path):
            return "database \(path) does not exist (run `querykind migrate --db \(path)` to create an empty one)"
        case .readOnlyDatabase(let path, let reason):
            return "database \(path) is read-only (\(reason)); querykind needs to write labels into it"
        case .missingTable(let table, let path):
            return "table \"\(table)\" not found in \(path) (use --table to name the table of queries)"
        case .missingColumn(let column, let table, let available):
            return "column \"\(column)\" not found in table \"\(table)\"; it has: \(available.joined(separator: ", "))"
        case .nonIntegerID(let column, let table, let example):
            return "id column \"\(column)\" of table \"\(table)\" holds a non-integer value (\(example)); "
                + "labels are keyed by integer ids (use --id-column, e.g. rowid)"
        case .newerSchema(let found, let known):
            return "database schema is version \(found) but this querykind knows only up to version \(known); "
                + "use a newer querykind"
        case .migrationMismatch(let version, let found, let expected):
            return "database migration \(version) is \"\(found)\" but this querykind's is \"\(expected)\"; "
                + "the database was migrated by an incompatible build"
        case .notMigrated(let path):
            return "database \(path) has no querykind tables yet (run `querykind label` or `querykind migrate` first)"
        case .otherSourceTable(let labeled, let requested):
            return "this database's labels belong to table \"\(labeled)\", not \"\(requested)\"; "
                + "querykind keeps one table of queries per database"
        case .damagedDatabase(let path, let reason):
            return "database \(path) is not a SQLite database or is damaged (\(reason))"
        case .noRowid(let table, let kind):
            return "\"\(table)\" is \(kind), which has no rowid; pass --id-column with one of its integer columns"
        case .nameClash(let object, let path):
            return "\(path) already has a \(object) that is not querykind's; querykind needs that name "
                + "(rename it, or keep the labels in another database)"
        case .labelColumnClash(let column, let table):
            let view = SourceTable(table: table).viewName
            return "table \"\(table)\" has its own column \"\(column)\", which querykind's view \"\(view)\" adds "
                + "too; rename that column, or label a view of the table without it (--table)"
        case .missingObjects(let objects, let path):
            return "querykind's \(objects.map(\.description).joined(separator: ", ")) "
                + (objects.count == 1 ? "is" : "are") + " missing from \(path) (dropped?); "
                + "run `querykind migrate --db \(path)` to recreate "
                + (objects.count == 1 ? "it" : "them")
        case .migrationFailed(let name, let reason):
            return "database migration \(name) failed (nothing of it was kept): \(reason)"
        case .unrecordedSchema(let objects, let path):
            return "querykind's table \"querykind_migrations\", which records the schema version, is missing from "
                + "\(path) (dropped?), and the objects left (\(objects.map(\.description).joined(separator: ", "))) "
                + "match no version, so it cannot be recreated; restore \(path) from a backup, or drop those objects "
                + "(losing their labels) and run `querykind migrate --db \(path)`"
        case .labelerRunning(let run, let table):
            return "table \"\(table)\" is already being labeled with this model by \(run); "
                + "wait for it to end or stop it, or pass --wait to start when it ends"
        }
    }
}
