import BertClassifier
import Foundation
import QueryKindTestSupport
import XCTest
@testable import Evaluation

/// Scores the tiny PyTorch-made fixture model on files written here, against PyTorch's own probabilities.
final class EvaluationTests: XCTestCase {
    private struct Expected: Decodable {
        var text: String
        var p_keyword: Double
        var p_question: Double
    }

    private static let fixtures = Repository.modelFixtures

    private func expectedRows() throws -> [Expected] {
        let lines = try String(contentsOf: Self.fixtures.appendingPathComponent("expected.jsonl"), encoding: .utf8)
            .split(separator: "\n")
        // Texts whose probability sits near 0.5 could flip on float noise; the test needs clear-cut ones.
        return try lines.map { try JSONDecoder().decode(Expected.self, from: Data($0.utf8)) }
            .filter { abs($0.p_keyword - 0.5) > 0.01 && !$0.text.contains("\t") && !$0.text.contains("\n") }
    }

    private func write(_ lines: [String]) throws -> URL {
        let folder = try TemporaryFolder("eval")
        addTeardownBlock { folder.remove() }
        let url = folder.file("labeled.tsv")
        try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    func testScoresMatchPyTorchPredictionsWithFlippedGoldLabels() throws {
        let rows = try expectedRows()
        XCTAssertGreaterThan(rows.count, 50)
        // Gold = PyTorch's prediction, flipped on every third row: those and only those are mistakes.
        var lines = ["text\tlabel\tsource"]
        var expectedConfusion = [[0, 0], [0, 0]]
        var flippedConfidences: [Double] = []
        for (index, row) in rows.enumerated() {
            let predictedKeyword = row.p_keyword >= 0.5
            let flip = index % 3 == 0
            let goldKeyword = flip ? !predictedKeyword : predictedKeyword
            expectedConfusion[goldKeyword ? 0 : 1][predictedKeyword ? 0 : 1] += 1
            if flip { flippedConfidences.append(max(row.p_keyword, 1 - row.p_keyword)) }
            lines.append("\(row.text)\t\(goldKeyword ? "keyword" : "natural")\t\(flip ? "flipped" : "kept")")
        }
        let examples = try LabeledExample.read(tsv: write(lines), head: .keyword)
        XCTAssertEqual(examples.count, rows.count, "the header is skipped, every row is read")

        let classifier = try QueryClassifier(modelDirectory: Self.fixtures.appendingPathComponent("tiny-safetensors"))
        let report = classifier.evaluate(examples, head: .keyword)
        XCTAssertEqual(report.confusion, expectedConfusion)
        XCTAssertEqual(report.count - report.correct, flippedConfidences.count)
        XCTAssertEqual(report.bySource["kept"]?.correct, report.bySource["kept"]?.count)
        XCTAssertEqual(report.bySource["flipped"]?.correct, 0)
        XCTAssertEqual(report.mistakes.count, min(20, flippedConfidences.count))
        let topConfidence = try XCTUnwrap(flippedConfidences.max())
        XCTAssertEqual(Double(report.mistakes[0].confidence), topConfidence, accuracy: 1e-4)
        XCTAssertEqual(report.mistakes.map(\.confidence), report.mistakes.map(\.confidence).sorted(by: >))
        let keywordRecall = Double(expectedConfusion[0][0]) / Double(expectedConfusion[0].reduce(0, +))
        XCTAssertEqual(report.recall(0), keywordRecall, accuracy: 1e-12)
    }

    func testRejectsUnknownLabelNamingTheLine() throws {
        let url = try write(["where is berlin?\tquestion", "cheap flights\tkeyword"])
        XCTAssertThrowsError(try LabeledExample.read(tsv: url, head: .question)) { error in
            XCTAssertTrue("\(error)".contains("\(url.path):2"), "\(error)")
        }
    }

    func testReadsLabelsCaseInsensitivelyWithoutSource() throws {
        let examples = try LabeledExample.read(tsv: write(["Where is Berlin?\tQuestion", "Berlin is big.\tstatement"]),
                                               head: .question)
        XCTAssertEqual(examples, [LabeledExample(text: "Where is Berlin?", label: "question"),
                                  LabeledExample(text: "Berlin is big.", label: "statement")])
    }

    func testSurfaceStrippingLowerCasesAndDropsPunctuation() {
        XCTAssertEqual(strippedOfSurfaceCues("  Where is Berlin?! "), "where is berlin")
        XCTAssertEqual(strippedOfSurfaceCues("e-mail, U.S.A. «quoted»"), "e mail u s a quoted")
        XCTAssertEqual(strippedOfSurfaceCues("price $5 + tax"), "price $5 + tax", "symbols are not punctuation")
    }
}
