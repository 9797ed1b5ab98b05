import Foundation
import NIOSSL
import PostgresNIO

/// A PostgreSQL database named the way libpq and its tools name one:
/// `postgres://user[:password]@host[:port]/dbname[?sslmode=disable|prefer|require&host=/socket/dir]`
/// (`postgresql://` too). The password comes from the URL, else `$PGPASSWORD`, else `~/.pgpass` (or `$PGPASSFILE`),
/// as with `psql`, so a password need not appear on a command line.
public struct PostgresLocation: Sendable, CustomStringConvertible {
    public var user: String
    public var host: String
    public var port: Int
    public var database: String
    var password: String?
    /// A directory holding the server's Unix socket (`?host=/dir`), used instead of TCP.
    var socketDirectory: String?
    var sslMode: SSLMode

    /// libpq's `sslmode` values that make sense here; `prefer` (libpq's default) tries TLS and falls back.
    enum SSLMode: String, Sendable {
        case disable, prefer, require
    }

    /// True when `string` names a PostgreSQL database rather than a SQLite file.
    public static func isURL(_ string: String) -> Bool {
        string.hasPrefix("postgres://") || string.hasPrefix("postgresql://")
    }

    /// Parses `url`; throws `PostgresStoreError.badURL` saying what is wrong.
    public init(url: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard Self.isURL(url), let parts = URLComponents(string: url) else {
            throw PostgresStoreError.badURL(url: Self.redacted(url), reason: "expected postgres://user@host:port/dbname")
        }
        let query = Dictionary((parts.queryItems ?? []).map { ($0.name, $0.value ?? "") }) { _, last in last }
        user = parts.user.flatMap { $0.removingPercentEncoding } ?? environment["PGUSER"] ?? environment["USER"] ?? "postgres"
        host = parts.host.flatMap { $0.isEmpty ? nil : $0 } ?? "localhost"
        port = parts.port ?? 5432
        let path = parts.path.hasPrefix("/") ? String(parts.path.dropFirst()) : parts.path
        database = path.removingPercentEncoding.flatMap { $0.isEmpty ? nil : $0 } ?? user
        socketDirectory = query["host"].flatMap { $0.hasPrefix("/") ? $0 : nil }
        guard let mode = SSLMode(rawValue: query["sslmode"] ?? "prefer") else {
            throw PostgresStoreError.badURL(url: Self.redacted(url),
                                            reason: "sslmode must be disable, prefer or require")
        }
        sslMode = mode
        password = parts.password.flatMap { $0.removingPercentEncoding } ?? environment["PGPASSWORD"]
        if password == nil {
            let file = environment["PGPASSFILE"] ?? (environment["HOME"].map { $0 + "/.pgpass" } ?? "")
            password = Self.passwordFile(file, host: socketDirectory ?? host, port: port, database: database, user: user)
        }
    }

    /// The location without its password: what messages and `label_runs` show.
    public var description: String { "postgres://\(user)@\(host):\(port)/\(database)" }

    /// PostgresNIO's settings for one connection, giving up after `connectTimeout`.
    func configuration(connectTimeout: Duration) throws -> PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        if let socketDirectory {
            configuration = .init(unixSocketPath: socketDirectory + "/.s.PGSQL.\(port)", username: user,
                                  password: password, database: database)
        } else {
            let tls: PostgresConnection.Configuration.TLS = switch sslMode {
            case .disable: .disable
            case .prefer: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
            case .require: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
            configuration = .init(host: host, port: port, username: user, password: password, database: database,
                                  tls: tls)
        }
        configuration.options.connectTimeout = .milliseconds(Int64(connectTimeout / .milliseconds(1)))
        return configuration
    }

    /// The password `~/.pgpass` gives for this host, port, database and user (`*` matches anything), as libpq reads it.
    static func passwordFile(_ path: String, host: String, port: Int, database: String, user: String) -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = pgpassFields(String(line))
            guard fields.count == 5 else { continue }
            let wanted = [host, String(port), database, user]
            if zip(fields, wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    /// A `.pgpass` line's colon-separated fields, with `\:` and `\\` unescaped.
    private static func pgpassFields(_ line: String) -> [String] {
        var fields: [String] = [""]
        var escaped = false
        for character in line {
            if escaped {
                fields[fields.count - 1].append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == ":" {
                fields.append("")
            } else {
                fields[fields.count - 1].append(character)
            }
        }
        return fields
    }

    /// `url` with any password replaced by `***`, for error messages.
    static func redacted(_ url: String) -> String {
        guard var parts = URLComponents(string: url), parts.password != nil else { return url }
        parts.password = "***"
        return parts.string ?? url
    }
}
