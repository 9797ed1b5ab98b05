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
        }
    }
}
