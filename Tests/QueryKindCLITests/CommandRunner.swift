import Foundation
import LabelStore
import QueryKindTestSupport
import XCTest

/// Runs the built `querykind` executable as a real subprocess (SwiftPM builds it next to the test bundle).
enum CommandRunner {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The longest any one child may run. Far above what a command here needs on a loaded 2-core machine and far
    /// below CI's 90 minutes, so a hung child fails its test (with its stderr) instead of stalling CI.
    static let deadline: TimeInterval = 180

    /// The `querykind` binary in the products folder that holds this test bundle.
    static let executable: URL? = {
        let bundle = Bundle(for: Marker.self).bundleURL
        let candidates = [bundle.deletingLastPathComponent(), bundle,
                          URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
        return candidates.map { $0.appendingPathComponent("querykind") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    private final class Marker {}

    /// The executable, or a skip when it was not built (`scripts/test.sh` fails a CI run with any such skip).
    static func requireExecutable() throws -> URL {
        guard let executable else { throw XCTSkip("the querykind executable was not built next to the tests") }
        return executable
    }

    /// The tiny random-init checkpoint of the engine's tests.
    static let tinyModel = fixtures.appendingPathComponent("tiny-safetensors").path

    /// The engine's committed fixtures (`Tests/BertClassifierTests/Fixtures`).
    static let fixtures = Repository.modelFixtures

    /// The repository's root (it holds `Models/`, the shipped model).
    static let repositoryRoot = fixtures.deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Starts `querykind arguments` with output captured to files in `folder` (wait with `finish(_:stdout:stderr:within:)`).
    static func start(_ arguments: [String], in folder: URL, executable: URL? = nil, prefix: [String] = [],
                      stdin: String? = nil) throws -> (Process, URL, URL) {
        let child = try launch(arguments, in: folder, executable: executable, prefix: prefix, stdin: stdin)
        return (child.process, child.stdoutURL, child.stderrURL)
    }

    /// Starts `querykind arguments` in `folder`, output captured to files there. `environment` adds to (or, with
    /// nil values, removes from) this process's variables; `$QUERYKIND_MODEL` is removed unless given.
    static func launch(_ arguments: [String], in folder: URL, executable: URL? = nil, prefix: [String] = [],
                       environment: [String: String?] = [:], stdin: String? = nil,
                       keepStdinOpen: Bool = false) throws -> Child {
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
        var variables = ProcessInfo.processInfo.environment
        variables["QUERYKIND_MODEL"] = nil
        for (name, value) in environment { variables[name] = value }
        process.environment = variables
        let id = UUID().uuidString
        let out = folder.appendingPathComponent("stdout-\(id)"), err = folder.appendingPathComponent("stderr-\(id)")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        var input: FileHandle?
        if stdin != nil || keepStdinOpen {
            let pipe = Pipe()
            process.standardInput = pipe
            input = pipe.fileHandleForWriting
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        try process.run()
        let child = Child(process: process, stdout: out, stderr: err, input: input)
        if let stdin { input?.write(Data(stdin.utf8)) }
        if !keepStdinOpen { try child.closeInput() }
        return child
    }

    /// Runs `querykind arguments` to completion (at most `deadline` seconds).
    static func run(_ arguments: [String], in folder: URL, executable: URL? = nil, prefix: [String] = [],
                    environment: [String: String?] = [:], stdin: String? = nil) throws -> Output {
        try launch(arguments, in: folder, executable: executable, prefix: prefix, environment: environment, stdin: stdin)
            .wait()
    }
}

/// A started `querykind` process, its captured output, and the write end of its standard input when kept open.
final class Child {
    let process: Process
    let stdoutURL: URL
    let stderrURL: URL
    private var input: FileHandle?

    init(process: Process, stdout: URL, stderr: URL, input: FileHandle?) {
        self.process = process
        stdoutURL = stdout
        stderrURL = stderr
        self.input = input
    }

    var stdout: String { (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }

    func write(_ text: String) { input?.write(Data(text.utf8)) }

    func closeInput() throws {
        try input?.close()
        input = nil
    }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// Waits for the process to exit, at most `timeout` seconds; past that it is killed and the test fails with
    /// its stderr, so a hung child costs one test, not the CI run.
    @discardableResult
    func wait(timeout: TimeInterval = CommandRunner.deadline) throws -> CommandRunner.Output {
        try closeInput()
        return try CommandRunner.finish(process, stdout: stdoutURL, stderr: stderrURL, within: timeout)
    }
}

/// A temporary folder with a `queries.db` holding `queries(id INTEGER PRIMARY KEY, text TEXT)`.
final class CLIFolder: ScratchDatabase {
    /// The folder the commands run in.
    var url: URL { folder }
    /// The database file's path, for `--db`.
    var db: String { path }

    /// A copy of the tiny model in this folder whose config.json is cut short; returns its path.
    func makeCorruptModel() throws -> String {
        let directory = url.appendingPathComponent("corrupt-model")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for file in ["vocab.txt", "tokenizer_config.json", "model.safetensors"] {
            try FileManager.default.copyItem(atPath: CommandRunner.tinyModel + "/" + file,
                                             toPath: directory.appendingPathComponent(file).path)
        }
        try Data("{\"hidden_size\": ".utf8).write(to: directory.appendingPathComponent("config.json"))
        return directory.path
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

/// The `--json` summary that `querykind label` prints.
struct LabelSummary: Decodable {
    struct Counters: Decodable {
        var rows_scanned, rows_labeled, rows_with_errors, cache_hits, inferences: Int
    }

    var status, model: String
    var counters: Counters
}

extension CLIFolder {
    /// Runs `querykind label --db <this database> --json arguments` in this folder and returns its summary.
    func label(_ arguments: [String], environment: [String: String?] = [:],
               file: StaticString = #filePath, line: UInt = #line) throws -> LabelSummary {
        let output = try CommandRunner.run(["label", "--db", db, "--json"] + arguments, in: url, environment: environment)
        XCTAssertEqual(output.status, 0, output.stderr, file: file, line: line)
        return try JSONDecoder().decode(LabelSummary.self, from: Data(output.stdout.utf8))
    }
}

extension CLIFolder {
    /// A folder whose `rows` queries `label` (the returned arguments) has labeled once.
    static func labeled(rows: Int, file: StaticString = #filePath, line: UInt = #line) throws -> (CLIFolder, [String]) {
        let folder = try CLIFolder()
        try folder.createQueries(cliQueries(rows))
        let label = ["label", "--db", folder.db, "--model", CommandRunner.tinyModel]
        let output = try CommandRunner.run(label, in: folder.url)
        XCTAssertEqual(output.status, 0, output.stderr, file: file, line: line)
        return (folder, label)
    }

    /// Runs `migrate`, which must say it recreated the table `name`, then once more, which must find nothing to
    /// recreate; returns what the first printed.
    func migrateRecreating(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let migrate = try CommandRunner.run(["migrate", "--db", db], in: url)
        XCTAssertEqual(migrate.status, 0, migrate.stderr, file: file, line: line)
        XCTAssertTrue(migrate.stdout.contains("recreated missing") && migrate.stdout.contains("table \"\(name)\""),
                      migrate.stdout, file: file, line: line)
        let again = try CommandRunner.run(["migrate", "--db", db], in: url)
        XCTAssertFalse(again.stdout.contains("recreated"), again.stdout, file: file, line: line)
        return migrate.stdout
    }
}
