import Foundation
import XCTest

/// `querykind classify --json` as a user runs it, against the probabilities PyTorch recorded for the fixtures.
final class ClassifyCLITests: XCTestCase {
    private struct Expected: Decodable {
        var text: String
        var p_keyword: Float
        var p_question: Float
    }

    private struct Line: Decodable {
        var text: String
        var kind: String
        var p_keyword: Float
        var p_question: Float
    }

    private static let fixtures = URL(fileURLWithPath: CommandRunner.tinyModel).deletingLastPathComponent()

    /// Streams every fixture text on stdin (one per line) through the checkpoint in `folder`.
    private func checkStdinMatchesPyTorch(folder: String) throws {
        let expected = try String(contentsOf: Self.fixtures.appendingPathComponent("expected.jsonl"), encoding: .utf8)
            .split(separator: "\n").map { try JSONDecoder().decode(Expected.self, from: Data($0.utf8)) }
            .filter { !$0.text.contains("\n") && !$0.text.contains("\r") }
        XCTAssertGreaterThan(expected.count, 150)
        let model = Self.fixtures.appendingPathComponent(folder).path
        let scratch = try CLIFolder()
        let output = try CommandRunner.run(["classify", "--model", model, "--json", "--batch-size", "16"],
                                           in: scratch.url, stdin: expected.map(\.text).joined(separator: "\n") + "\n")
        XCTAssertEqual(output.status, 0, output.stderr)
        let lines = try output.stdout.split(separator: "\n").map { try JSONDecoder().decode(Line.self, from: Data($0.utf8)) }
        XCTAssertEqual(lines.count, expected.count, "one JSON object per input line")
        for (line, row) in zip(lines, expected) {
            XCTAssertEqual(line.text, row.text, "input order is kept")
            XCTAssertEqual(line.p_keyword, row.p_keyword, accuracy: 1e-4, row.text)
            XCTAssertEqual(line.p_question, row.p_question, accuracy: 1e-4, row.text)
            let kind = line.p_keyword >= 0.5 ? "keyword" : line.p_question >= 0.5 ? "question" : "statement"
            XCTAssertEqual(line.kind, kind, row.text)
        }
    }

    func testPyTorchBinCheckpointReproducesPyTorch() throws {
        try checkStdinMatchesPyTorch(folder: "tiny-torch")
    }

    func testSafetensorsCheckpointReproducesPyTorch() throws {
        try checkStdinMatchesPyTorch(folder: "tiny-safetensors")
    }

    func testArgumentsPrintATableInInputOrder() throws {
        let scratch = try CLIFolder()
        let output = try CommandRunner.run(["classify", "--model", CommandRunner.tinyModel,
                                            "where is berlin?", "cheap flights paris"], in: scratch.url)
        XCTAssertEqual(output.status, 0, output.stderr)
        let rows = output.stdout.split(separator: "\n")
        XCTAssertEqual(rows.count, 3)
        XCTAssertTrue(rows[0].hasPrefix("kind"))
        XCTAssertTrue(rows[1].hasSuffix("where is berlin?"))
        XCTAssertTrue(rows[2].hasSuffix("cheap flights paris"))
    }

    /// Without `--model` the shipped model in Models/ answers, and it labels the product's defining examples
    /// (the brief's, plus the shapes its model card says were fixed) the way the brief defines the kinds.
    func testShippedModelIsTheDefaultAndLabelsTheDefiningExamples() throws {
        let expected: [(text: String, kinds: Set<String>)] = [
            ("cheap flights paris", ["keyword"]),
            ("where is berlin?", ["question"]),
            ("Berlin is in Germany.", ["statement"]),
            ("List all brothers of Arya.", ["statement"]),                // imperatives are statements
            ("how to boil an egg", ["question", "statement"]),           // "how to X" is natural language
            ("Well, uh, do you have any children?", ["question"]),      // spoken, not a comma-separated list
            ("how many, politicians, graduated, columbia university", ["keyword"]),
            ("astronauts who walked on the moon", ["keyword"]),
            ("what a nice day!", ["statement"]),
            ("thank you bye", ["statement"]),
        ]
        let scratch = try CLIFolder()
        let output = try CommandRunner.run(["classify", "--json"], in: scratch.url,
                                           stdin: expected.map(\.text).joined(separator: "\n") + "\n")
        XCTAssertEqual(output.status, 0, output.stderr)
        let lines = try output.stdout.split(separator: "\n").map { try JSONDecoder().decode(Line.self, from: Data($0.utf8)) }
        XCTAssertEqual(lines.map(\.text), expected.map(\.text))
        for (line, row) in zip(lines, expected) {
            XCTAssertTrue(row.kinds.contains(line.kind), "\(row.text): \(line.kind) (p_keyword \(line.p_keyword), p_question \(line.p_question))")
        }
    }

    func testMissingModelIsOneLineError() throws {
        let scratch = try CLIFolder()
        let output = try CommandRunner.run(["classify", "--model", scratch.url.path, "hello"], in: scratch.url)
        XCTAssertNotEqual(output.status, 0)
        XCTAssertTrue(output.stderr.contains("config.json"), output.stderr)
        XCTAssertFalse(output.stderr.contains("Usage"), "a model problem is not a usage error: \(output.stderr)")
        XCTAssertEqual(output.stdout, "")
    }
}
