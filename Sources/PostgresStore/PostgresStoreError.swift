import Foundation
import NIOCore
import LabelStore
import PostgresNIO

/// What can go wrong with a PostgreSQL database, each as one line a person can act on.
///
/// Why not PostgresNIO's errors: `PSQLError` prints a fixed generic text (so that queries and data never leak into
/// logs), which tells a user nothing; the server's own message and SQLSTATE are what they need.
public enum PostgresStoreError: DatabaseError, Sendable {
    case badURL(url: String, reason: String)
    case cannotConnect(location: String, reason: String)
    case connectionLost(location: String)
    /// An error the server reported for a statement: its message and SQLSTATE (e.g. `40P01` for a deadlock).
    case server(message: String, sqlState: String)
    /// A result column that did not decode (a schema querykind did not create).
    case decoding(String)
    /// `<table>_labeled` exists and is not querykind's view.
    case viewNameTaken(name: String, location: String)
    case nonIntegerID(column: String, table: String, type: String)

    public var description: String {
        switch self {
        case .badURL(let url, let reason):
            return "cannot read the database URL \(url): \(reason)"
        case .cannotConnect(let location, let reason):
            return "cannot connect to \(location): \(reason)"
        case .connectionLost(let location):
            return "lost the connection to \(location) in the middle of a transaction (nothing of it was kept)"
        case .server(let message, let sqlState):
            return "PostgreSQL: \(message) (SQLSTATE \(sqlState))"
        case .decoding(let detail):
            return "unexpected data from PostgreSQL: \(detail)"
        case .viewNameTaken(let name, let location):
            return "\(location) already has a \"\(name)\" that is not querykind's view; querykind needs that name "
                + "(rename it, or keep the labels in another database)"
        case .nonIntegerID(let column, let table, let type):
            return "id column \"\(column)\" of table \"\(table)\" is \(type), not an integer type; "
                + "labels are keyed by integer ids (use --id-column)"
        }
    }

    /// The one line itself: PostgreSQL's messages carry no SQL.
    public var message: String { description }

    /// The SQLSTATE of a server error, nil for anything else.
    public var sqlState: String? {
        if case .server(_, let state) = self { return state }
        return nil
    }

    /// True for failures that heal by themselves: a lost or refused connection, a deadlock or serialization failure
    /// (40xxx), a full disk or too many connections (53xxx), a server shutting down or starting (57Pxx), a lock not
    /// available (55P03).
    public var isTransient: Bool {
        switch self {
        case .cannotConnect, .connectionLost: return true
        case .server(_, let state):
            return state.hasPrefix("40") || state.hasPrefix("53") || state.hasPrefix("57P") || state.hasPrefix("08")
                || state == "55P03"
        default: return false
        }
    }

    /// Our error for what PostgresNIO threw running a statement.
    static func from(_ error: any Error, location: PostgresLocation) -> PostgresStoreError {
        guard let error = error as? PSQLError else { return .decoding("\(error)") }
        if let message = error.serverInfo?[.message] {
            return .server(message: message, sqlState: error.serverInfo?[.sqlState] ?? "?????")
        }
        switch error.code {
        case .serverClosedConnection, .clientClosedConnection, .connectionError, .uncleanShutdown:
            return .connectionLost(location: location.description)
        default:
            return .decoding(reason(of: error))
        }
    }

    /// The most telling text of a connection failure: the server's message (wrong password, no such database), else
    /// the socket error (connection refused, timed out).
    static func reason(of error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return message }
            if let underlying = error.underlying { return reason(of: underlying) }
            if error.code == .sslUnsupported { return "the server does not offer TLS (the URL asks for sslmode=require)" }
            return "\(error.code)"
        }
        if let error = error as? NIOConnectionError {
            return error.connectionErrors.first.map { reason(of: $0.error) } ?? "\(error)"
        }
        if let error = error as? IOError { return String(cString: strerror(error.errnoCode)).lowercased() }
        if let error = error as? ChannelError, case .connectTimeout = error { return "timed out" }
        return "\(error)"
    }

    /// Runs a row decoding, turning PostgresNIO's decoding error into ours.
    static func decoding<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as PostgresDecodingError {
            throw PostgresStoreError.decoding("column \(error.columnName) is \(error.postgresType), not \(error.targetType)")
        }
    }
}
