import Evaluation
import Foundation
import XCTest

/// `querykind eval` as a user runs it: the shipped model on committed labeled queries, its scoring checked against
/// `classify`'s own probabilities for the same texts (and, for `--normalized`, for those texts stripped of their
/// surface cues by the Evaluation module's own function).
final class EvalCLITests: XCTestCase {
    /// One `--json` report line.
    struct Report: Decodable {
        var head, view, model: String
        var count: Int
        var accuracy: Double
        var confusion: [[Int]]

        /// Rows scored correctly: the confusion matrix's diagonal.
        var correct: Int { confusion.indices.map { confusion[$0][$0] }.reduce(0, +) }
    }

    private struct Prediction: Decodable {
        var p_keyword, p_question: Double
    }

    /// `Fixtures/labeled/<head>.tsv`: 500 dev-split rows (see `make_labeled_sample.py` there).
    static func labeledFile(_ head: String) -> String {
        CommandRunner.fixtures.appendingPathComponent("labeled/\(head).tsv").path
    }

    /// The `--json` reports of `querykind eval arguments`.
    static func reports(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> [Report] {
        let folder = try CLIFolder()
        let output = try CommandRunner.run(["eval", "--json"] + arguments, in: folder.url)
        XCTAssertEqual(output.status, 0, output.stderr, file: file, line: line)
        return try output.stdout.split(separator: "\n").map { try JSONDecoder().decode(Report.self, from: Data($0.utf8)) }
    }

    func testJSONScoresAgreeWithClassifyOnBothHeads() throws {
        for (head, positive) in [("keyword", "keyword"), ("question", "question")] {
            let rows = try String(contentsOfFile: Self.labeledFile(head), encoding: .utf8).split(separator: "\n")
                .dropFirst().map { $0.split(separator: "\t", omittingEmptySubsequences: false) }
            let views = try Self.reports(["--head", head, "--normalized", Self.labeledFile(head)])
            XCTAssertEqual(views.map(\.view), ["raw", "normalized"])
            XCTAssertEqual(views.map(\.count), [rows.count, rows.count])
            XCTAssertTrue(views.allSatisfy { $0.head == head && $0.model.hasPrefix("querykind-minilm-l3@") })
            XCTAssertEqual(views[0].confusion.joined().reduce(0, +), rows.count)
            XCTAssertEqual(views[1].confusion.joined().reduce(0, +), rows.count)

            // The same texts through `classify`: the head's decision against the gold label, counted here. The
            // normalized view must score the texts stripped of their surface cues (lower case, no punctuation),
            // not the raw texts again under another name.
            let gold = rows.map { $0[1] == positive }
            let correct = try Self.classifiedCorrect(rows.map { String($0[0]) }, gold: gold, head: head)
            let normalizedCorrect = try Self.classifiedCorrect(rows.map { strippedOfSurfaceCues(String($0[0])) },
                                                               gold: gold, head: head)
            XCTAssertEqual(views[0].accuracy, Double(correct) / Double(rows.count), accuracy: 1e-12, head)
            XCTAssertEqual(views[0].correct, correct, head)
            XCTAssertEqual(views[1].accuracy, Double(normalizedCorrect) / Double(rows.count), accuracy: 1e-12, head)
            XCTAssertEqual(views[1].correct, normalizedCorrect, "\(head): normalized view (raw view: \(correct))")
            XCTAssertGreaterThan(views[0].accuracy, 0.95, "the shipped model on its dev split (\(head))")
        }
    }

    /// How many of `texts` `querykind classify --json` decides as `gold` says (true: the head's positive label).
    private static func classifiedCorrect(_ texts: [String], gold: [Bool], head: String,
                                          file: StaticString = #filePath, line: UInt = #line) throws -> Int {
        let folder = try CLIFolder()
        let classified = try CommandRunner.run(["classify", "--json"], in: folder.url,
                                               stdin: texts.joined(separator: "\n") + "\n")
        XCTAssertEqual(classified.status, 0, classified.stderr, file: file, line: line)
        let predictions = try classified.stdout.split(separator: "\n")
            .map { try JSONDecoder().decode(Prediction.self, from: Data($0.utf8)) }
        XCTAssertEqual(predictions.count, texts.count, "one classify line per text", file: file, line: line)
        return zip(gold, predictions).filter { positive, prediction in
            let probability = head == "keyword" ? prediction.p_keyword : prediction.p_question
            return (probability >= 0.5) == positive
        }.count
    }

    /// `--perturb`: each keyword query with each trailing mark, and each other text that ends in a mark without it,
    /// scored as `classify` decides those very texts (so a view that scored the raw texts again would fail).
    func testPerturbedViewsScoreThePerturbedTexts() throws {
        for head in ["keyword", "question"] {
            let rows = try String(contentsOfFile: Self.labeledFile(head), encoding: .utf8).split(separator: "\n")
                .dropFirst().map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
            let views = try Self.reports(["--head", head, "--perturb", Self.labeledFile(head)])
            let marks = head == "keyword" ? [".", "!", "!!", "?", "..."] : []
            XCTAssertEqual(views.map(\.view), ["raw"] + marks.map { "keyword + \"\($0)\"" } + ["no final mark"])
            var expected: [(texts: [String], gold: [Bool])] = marks.map { mark in
                let keywords = rows.filter { $0[1] == "keyword" }
                return (keywords.map { $0[0] + mark }, keywords.map { _ in true })
            }
            let ending = rows.filter { $0[1] != "keyword" && [".", "!", "?"].contains($0[0].last) }
            let stripped = ending.map { row in
                var text = Substring(row[0])
                while let last = text.last, ".!?\u{2026} ".contains(last) { text = text.dropLast() }
                return String(text)
            }
            expected.append((stripped, ending.map { $0[1] == head }))
            for (view, (texts, gold)) in zip(views.dropFirst(), expected) {
                XCTAssertGreaterThan(texts.count, 50, view.view)
                XCTAssertEqual(view.count, texts.count, view.view)
                XCTAssertEqual(view.correct, try Self.classifiedCorrect(texts, gold: gold, head: head), view.view)
            }
        }
    }

    func testTextReportShowsEverySection() throws {
        let folder = try CLIFolder()
        let output = try CommandRunner.run(["eval", "--head", "keyword", Self.labeledFile("keyword")], in: folder.url)
        XCTAssertEqual(output.status, 0, output.stderr)
        let json = try Self.reports(["--head", "keyword", Self.labeledFile("keyword")])[0]
        let lines = output.stdout.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines[0].hasPrefix("head keyword, raw text, model querykind-minilm-l3@"), lines[0])
        XCTAssertTrue(lines[0].hasSuffix(": 500 examples"), lines[0])
        XCTAssertEqual(lines[1], String(format: "accuracy  %.4f  (%d/500)", json.accuracy, json.correct))
        for section in ["keyword    precision ", "natural    precision ", "confusion (rows gold, columns predicted):",
                        "by source:", "most confident mistakes:"] {
            XCTAssertTrue(lines.contains { $0.hasPrefix(section) }, "no '\(section)' in:\n\(output.stdout)")
        }
        XCTAssertEqual(lines.filter { $0.hasPrefix("  ") && $0.contains("  gold ") }.count, min(20, 500 - json.correct))
    }

    func testMissingFileIsOneLineError() throws {
        let folder = try CLIFolder()
        let output = try CommandRunner.run(["eval", "--head", "keyword", "nope.tsv"], in: folder.url)
        XCTAssertNotEqual(output.status, 0)
        XCTAssertEqual(output.stderr.split(separator: "\n").count, 1, output.stderr)
        XCTAssertTrue(output.stderr.contains("nope.tsv"), output.stderr)
    }
}
