import Foundation
import LabelStore
import XCTest

/// Runs the built `querykind` executable as a real subprocess (SwiftPM builds it next to the test bundle).
enum CommandRunner {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The `querykind` binary in the products folder that holds this test bundle.
    static let executable: URL? = {
        let bundle = Bundle(for: Marker.self).bundleURL
        let candidates = [bundle.deletingLastPathComponent(), bundle,
                          URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
        return candidates.map { $0.appendingPathComponent("querykind") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    private final class Marker {}

    static func requireExecutable() throws -> URL {
        guard let executable else { throw XCTSkip("the querykind executable was not built next to the tests") }
        return executable
    }

    /// The tiny random-init checkpoint of the engine's tests.
    static let tinyModel = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("BertClassifierTests/Fixtures/tiny-safetensors").path

    /// Starts `querykind arguments` with output captured to files in `folder`.
    static func start(_ arguments: [String], in folder: URL, executable: URL? = nil, prefix: [String] = [],
                      stdin: String? = nil) throws -> (Process, URL, URL) {
        let binary = try executable ?? requireExecutable()
        let process = Process()
        if prefix.isEmpty {
            process.executableURL = binary
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: prefix[0])
            process.arguments = Array(prefix.dropFirst()) + [binary.path] + arguments
        }
        process.currentDirectoryURL = folder
        var environment = ProcessInfo.processInfo.environment
        environment["QUERYKIND_MODEL"] = nil
        process.environment = environment
        let id = UUID().uuidString
        let out = folder.appendingPathComponent("stdout-\(id)"), err = folder.appendingPathComponent("stderr-\(id)")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        if let stdin {
            let pipe = Pipe()
            process.standardInput = pipe
            try process.run()
            pipe.fileHandleForWriting.write(Data(stdin.utf8))
            try pipe.fileHandleForWriting.close()
        } else {
            process.standardInput = FileHandle.nullDevice
            try process.run()
        }
        return (process, out, err)
    }

    /// Runs `querykind arguments` to completion.
    static func run(_ arguments: [String], in folder: URL, executable: URL? = nil, prefix: [String] = [],
                    stdin: String? = nil) throws -> Output {
        let (process, out, err) = try start(arguments, in: folder, executable: executable, prefix: prefix, stdin: stdin)
        process.waitUntilExit()
        return Output(status: process.terminationStatus,
                      stdout: try String(contentsOf: out, encoding: .utf8),
                      stderr: try String(contentsOf: err, encoding: .utf8))
    }
}

/// A temporary folder with a `queries.db` holding `queries(id INTEGER PRIMARY KEY, text TEXT)`.
final class CLIFolder {
    let url: URL
    var db: String { url.appendingPathComponent("queries.db").path }

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("querykind-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// Creates the queries table with `texts`.
    func createQueries(_ texts: [String]) throws {
        let connection = try Connection(path: db, mode: .readWriteCreate)
        try connection.execute("CREATE TABLE queries (id INTEGER PRIMARY KEY, text TEXT)")
        try insert(texts)
    }

    func insert(_ texts: [String]) throws {
        let connection = try Connection(path: db, mode: .readWrite)
        try connection.transaction {
            for text in texts { try connection.run("INSERT INTO queries (text) VALUES (?)", [.text(text)]) }
        }
    }

    func count(_ sql: String) throws -> Int {
        Int(try Connection(path: db, mode: .readOnly).scalarInt(sql) ?? -1)
    }

    /// The rows of `sql`, each as its first `columns` values in text form ("NULL" for NULL).
    func rows(_ sql: String, columns: Int32) throws -> [[String]] {
        try Connection(path: db, mode: .readOnly).query(sql) { row in
            (0..<columns).map { row.optionalString($0) ?? "NULL" }
        }
    }
}

/// Distinct-ish queries with some repeats, so a run exercises both the cache and the model.
func cliQueries(_ count: Int) -> [String] {
    let words = ["magnets", "flights", "pizza", "weather", "python", "rome", "phone", "sky", "cat", "music", "tax",
                 "coffee", "train", "shoes", "river"]
    return (0..<count).map { index in
        let a = words[index % words.count], b = words[(index / words.count) % words.count]
        switch index % 4 {
        case 0: return "how do \(a) and \(b) work"
        case 1: return "\(a) \(b) \(index % 50)"
        case 2: return "I like \(a) more than \(b)."
        default: return "why is \(a) \(b)?"
        }
    }
}
