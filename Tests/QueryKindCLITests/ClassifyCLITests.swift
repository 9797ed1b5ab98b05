import Foundation
import QueryKindTestSupport
import XCTest

/// `querykind classify --json` as a user runs it, against the probabilities PyTorch recorded for the fixtures.
final class ClassifyCLITests: XCTestCase {
    private struct Expected: Decodable {
        var text: String
        var ids: [Int32]
        var p_keyword: Float
        var p_question: Float
    }

    private struct Line: Decodable {
        var text: String
        var kind: String?
        var p_keyword: Float?
        var p_question: Float?
        var error: String?
    }

    /// Streams every fixture text on stdin (one per line) through the checkpoint in `folder`.
    private func checkStdinMatchesPyTorch(folder: String) throws {
        let expected = try String(contentsOf: CommandRunner.fixtures.appendingPathComponent("expected.jsonl"), encoding: .utf8)
            .split(separator: "\n").map { try JSONDecoder().decode(Expected.self, from: Data($0.utf8)) }
            .filter { !$0.text.contains("\n") && !$0.text.contains("\r") }
        XCTAssertGreaterThan(expected.count, 150)
        let model = CommandRunner.fixtures.appendingPathComponent(folder).path
        let vocabulary = try String(contentsOfFile: model + "/vocab.txt", encoding: .utf8).split(separator: "\n")
        let unknownID = try XCTUnwrap(vocabulary.firstIndex(of: "[UNK]"))
        let scratch = try CLIFolder()
        let output = try CommandRunner.run(["classify", "--model", model, "--json", "--inference-batch", "16"],
                                           in: scratch.url, stdin: expected.map(\.text).joined(separator: "\n") + "\n")
        XCTAssertEqual(output.status, 0, output.stderr)
        let lines = try output.stdout.split(separator: "\n").map { try JSONDecoder().decode(Line.self, from: Data($0.utf8)) }
        XCTAssertEqual(lines.count, expected.count, "one JSON object per input line")
        var worst: Float = 0
        for (line, row) in zip(lines, expected) {
            XCTAssertEqual(line.text, row.text, "input order is kept")
            // A text with no tokens ([CLS] [SEP] only) or only [UNK] ones is not labeled, as `label` stores it.
            let readable = row.ids.dropFirst().dropLast().contains { $0 != unknownID }
            guard readable, let kind = line.kind, let keyword = line.p_keyword, let question = line.p_question else {
                XCTAssertFalse(readable, "only texts without tokens the model knows go unlabeled: \(row.text)")
                XCTAssertNotNil(line.error, row.text)
                continue
            }
            worst = max(worst, abs(keyword - row.p_keyword), abs(question - row.p_question))
            XCTAssertEqual(kind, keyword >= 0.5 ? "keyword" : question >= 0.5 ? "question" : "statement", row.text)
        }
        // fp32 against PyTorch's fp32: a wrong LayerNorm epsilon (5.8e-5) or a tanh GELU (2.8e-4) fails this.
        XCTAssertLessThan(worst, 1e-5, "largest |querykind - PyTorch| over \(lines.count) texts")
    }

    /// Output appears batch by batch while standard input is still open, so a pipe from a live log works.
    func testStandardInputIsStreamedBatchByBatch() throws {
        let scratch = try CLIFolder()
        let child = try CommandRunner.launch(["classify", "--model", CommandRunner.tinyModel, "--json",
                                             "--inference-batch", "2"], in: scratch.url, keepStdinOpen: true)
        child.write("where is berlin?\ncheap flights paris\nstill open")
        try waitUntil(within: 60) { child.stdout.split(separator: "\n").count == 2 || !child.process.isRunning }
        XCTAssertTrue(child.process.isRunning, "classify exited before its input closed: \(child.stderr)")
        XCTAssertEqual(child.stdout.split(separator: "\n").count, 2, "the first batch is printed before input ends")
        try child.closeInput()
        let output = try child.wait()
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertEqual(output.stdout.split(separator: "\n").count, 3)
        XCTAssertTrue(output.stdout.hasSuffix("\"text\":\"still open\"}\n"), output.stdout)
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
            XCTAssertTrue(row.kinds.contains(line.kind ?? "none"), "\(row.text): \(line.kind ?? "none") "
                          + "(p_keyword \(line.p_keyword ?? -1), p_question \(line.p_question ?? -1))")
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
