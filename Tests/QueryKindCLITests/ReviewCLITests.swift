import Foundation
import XCTest

/// `querykind review` on a labeled SQLite file (issue 22): reviews keyed by the normalized text reach every row with
/// that key in the `<table>_labeled` view, while `query_labels` keeps the model's labels; bad input writes nothing;
/// the queue, `--import` and `--export`.
final class ReviewCLITests: XCTestCase {
    static let kinds = ["keyword", "question", "statement"]

    /// 30 base texts, each as written and as an upper-cased, re-spaced, accented variant with the same key, then 5
    /// texts nobody reviews.
    static let bases = (0..<30).map { "cafe \(cliQueries(30)[$0].lowercased()), please" }
    static func variant(_ base: String) -> String {
        base.uppercased().replacingOccurrences(of: ",", with: " ,").replacingOccurrences(of: "CAFE", with: "Café")
    }

    /// A labeled folder holding the bases, their variants and five unreviewed texts.
    private func labeledFolder() throws -> CLIFolder {
        let folder = try CLIFolder()
        try folder.createQueries(Self.bases + Self.bases.map(Self.variant) + (0..<5).map { "unreviewed text \($0)" })
        let output = try CommandRunner.run(["label", "--db", folder.db, "--model", CommandRunner.tinyModel], in: folder.url)
        XCTAssertEqual(output.status, 0, output.stderr)
        return folder
    }

    private func review(_ folder: CLIFolder, _ arguments: [String]) throws -> CommandRunner.Output {
        try CommandRunner.run(["review", "--db", folder.db, "--model", CommandRunner.tinyModel] + arguments,
                              in: folder.url)
    }

    private func labels(_ folder: CLIFolder) throws -> [[String]] {
        try folder.rows("""
            SELECT query_id, kind, p_keyword, p_question, error, model, labeled_at, run_id, normalized_text
            FROM query_labels ORDER BY query_id
            """, columns: 9)
    }

    func testThirtyReviewsReachEveryRowWithTheirKeyAndQueryLabelsKeepsTheModels() throws {
        let folder = try labeledFolder()
        defer { folder.remove() }
        let before = try labels(folder)
        XCTAssertEqual(try folder.count("SELECT count(DISTINCT normalized_text) FROM query_labels"), 35,
                       "each base and its variant share a key")
        // Each review gives the kind after the model's, so every review differs from the model's label.
        var reviewed: [String: String] = [:]
        for (index, base) in Self.bases.enumerated() {
            let model = try folder.rows("SELECT kind FROM query_labels WHERE query_id = \(index + 1)", columns: 1)[0][0]
            let kind = Self.kinds[(Self.kinds.firstIndex(of: model)! + 1) % 3]
            reviewed[base] = kind
            // Reviewed as a third spelling of the key: title case, no space before the comma.
            let output = try review(folder, ["--text", base.capitalized, "--kind", kind, "--reviewer", "ann"])
            XCTAssertEqual(output.status, 0, output.stderr)
            XCTAssertTrue(output.stdout.hasPrefix("review \(index + 1): "), output.stdout)
        }
        XCTAssertEqual(try folder.count("SELECT count(*) FROM query_reviews"), 30)

        let view = try folder.rows("""
            SELECT id, text, kind, model_kind, reviewed_kind, reviewed_by FROM queries_labeled ORDER BY id
            """, columns: 6)
        let modelKinds = try folder.rows("SELECT kind FROM query_labels ORDER BY query_id", columns: 1).map { $0[0] }
        for (row, modelKind) in zip(view, modelKinds) {
            XCTAssertEqual(row[3], modelKind, "model_kind is query_labels' kind: \(row)")
            let id = Int(row[0])!
            if id <= 60 {
                let kind = reviewed[Self.bases[(id - 1) % 30]]!
                XCTAssertEqual(Array(row[2...]), [kind, modelKind, kind, "ann"], "\(row)")
                XCTAssertNotEqual(row[2], modelKind)
            } else {
                XCTAssertEqual(Array(row[2...]), [modelKind, modelKind, "NULL", "NULL"], "\(row)")
            }
        }
        XCTAssertEqual(try labels(folder), before, "query_labels still holds the model's labels, unchanged")

        // lookup --db and serve --db answer every spelling with the reviewed kind, marked reviewed, with the
        // model's probabilities; unreviewed texts carry no `reviewed`.
        let texts = try folder.rows("SELECT text FROM queries ORDER BY id", columns: 1).map { $0[0] }
        let expected = try expectedAnswers(folder, reviewed: reviewed)
        let lookup = try CommandRunner.run(["lookup", "--db", folder.db, "--model", CommandRunner.tinyModel, "--json"]
                                           + texts, in: folder.url)
        XCTAssertEqual(lookup.status, 0, lookup.stderr)
        XCTAssertEqual(try lookup.stdout.split(separator: "\n").map { try Self.answer(Data($0.utf8)) }, expected)

        let server = try ServeProcess(["--db", folder.db, "--model", CommandRunner.tinyModel], in: folder.url)
        let reply = try server.post("/v1/classify", json: ["texts": texts])
        XCTAssertEqual(reply.status, 200)
        let results = try XCTUnwrap(reply.object["results"] as? [Any])
        XCTAssertEqual(try results.map { try Self.answer(JSONSerialization.data(withJSONObject: $0)) }, expected)
        let single = try server.classify(Self.variant(Self.bases[0]))
        XCTAssertEqual(try Self.answer(single.body), expected[30])
        _ = try server.terminate()
    }

    /// One answer's text, kind, probabilities (the model's Float values) and `reviewed`.
    struct Answer: Equatable {
        var text: String
        var kind: String
        var pKeyword: Float
        var pQuestion: Float
        var reviewed: Bool?
    }

    static func answer(_ json: Data) throws -> Answer {
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        return Answer(text: object["text"] as? String ?? "", kind: object["kind"] as? String ?? "",
                      pKeyword: Float(object["p_keyword"] as? Double ?? -1),
                      pQuestion: Float(object["p_question"] as? Double ?? -1),
                      reviewed: object["reviewed"] as? Bool)
    }

    /// Every row's expected answer: the reviewed kind where its base was reviewed, with query_labels'
    /// probabilities.
    private func expectedAnswers(_ folder: CLIFolder, reviewed: [String: String]) throws -> [Answer] {
        try folder.rows("""
            SELECT q.id, q.text, l.kind, l.p_keyword, l.p_question FROM queries AS q JOIN query_labels AS l
            ON l.query_id = q.id ORDER BY q.id
            """, columns: 5).map { row in
            let id = Int(row[0])!
            let kind = id <= 60 ? reviewed[Self.bases[(id - 1) % 30]]! : row[2]
            return Answer(text: row[1], kind: kind, pKeyword: Float(Double(row[3])!), pQuestion: Float(Double(row[4])!),
                          reviewed: id <= 60 ? true : nil)
        }
    }

    /// An empty text, a text with no tokens, an unknown kind: one line on stderr, exit 1, nothing recorded.
    func testBadInputIsOneLineAndRecordsNothing() throws {
        let folder = try labeledFolder()
        defer { folder.remove() }
        for (arguments, message) in [
            (["--text", "", "--kind", "question"], "the text to review is empty"),
            (["--text", "\u{200B}\u{0007}", "--kind", "question"], "the text to review has no tokens"),
            (["--text", "sky", "--kind", "Question"], "unknown kind \"Question\""),
        ] {
            let output = try review(folder, arguments)
            XCTAssertEqual(output.status, 1, "\(arguments)")
            XCTAssertTrue(output.stderr.contains(message), output.stderr)
            XCTAssertEqual(output.stderr.split(separator: "\n").count, 1, output.stderr)
        }
        XCTAssertEqual(try folder.count("SELECT count(*) FROM query_reviews"), 0)
    }

    /// The queue puts unreviewed texts first; a reviewed text goes behind them.
    func testQueueShowsUnreviewedFirst() throws {
        let folder = try labeledFolder()
        defer { folder.remove() }
        let queue = try queueKeys(folder)
        XCTAssertEqual(queue.count, 35)
        XCTAssertEqual(queue.map(\.reviews), Array(repeating: 0, count: 35))
        XCTAssertEqual(queue.map(\.priority), queue.map(\.priority).sorted(by: >))
        let first = queue[0]
        XCTAssertEqual(try review(folder, ["--text", first.text ?? first.normalized_text, "--kind", "statement"]).status, 0)
        let after = try queueKeys(folder)
        XCTAssertEqual(after.last?.normalized_text, first.normalized_text)
        XCTAssertEqual(after.last?.reviews, 1)
        XCTAssertEqual(Array(after.dropLast().map(\.normalized_text)), Array(queue.dropFirst().map(\.normalized_text)))
        XCTAssertEqual(try review(folder, ["--queue", "--json", "--limit", "3"]).stdout.split(separator: "\n").count, 3)
    }

    private struct QueueLine: Decodable {
        var normalized_text: String
        var text: String?
        var priority: Double
        var reviews: Int
    }

    private func queueKeys(_ folder: CLIFolder) throws -> [QueueLine] {
        let output = try review(folder, ["--queue", "--json", "--limit", "100"])
        XCTAssertEqual(output.status, 0, output.stderr)
        return try output.stdout.split(separator: "\n").map { try JSONDecoder().decode(QueueLine.self, from: Data($0.utf8)) }
    }

    /// `--import` records a TSV's reviews (a bad line records none of them); `--export` writes training/'s format.
    func testImportThenExportInTrainingFormat() throws {
        let folder = try labeledFolder()
        defer { folder.remove() }
        let bad = folder.url.appendingPathComponent("bad.tsv")
        try "text\tkind\nCheap Flights\tkeyword\nwhy?\tquestion\n\u{200B}\tstatement\n".write(to: bad, atomically: true,
                                                                                             encoding: .utf8)
        let refused = try review(folder, ["--import", bad.path])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("line 4: the text to review has no tokens"), refused.stderr)
        XCTAssertEqual(try folder.count("SELECT count(*) FROM query_reviews"), 0)

        let good = folder.url.appendingPathComponent("good.tsv")
        try "text\tkind\nCheap Flights\tkeyword\nWhy is the sky blue?\tquestion\nRome is old.\tstatement\ncheap flights\tstatement\n"
            .write(to: good, atomically: true, encoding: .utf8)
        let imported = try review(folder, ["--import", good.path, "--reviewer", "bob"])
        XCTAssertEqual(imported.status, 0, imported.stderr)
        XCTAssertEqual(imported.stdout, "recorded 4 reviews from \(good.path)\n")
        XCTAssertEqual(try folder.count("SELECT count(*) FROM query_reviews WHERE reviewer = 'bob'"), 4)

        let exported = try review(folder, ["--export", folder.url.appendingPathComponent("out").path])
        XCTAssertEqual(exported.status, 0, exported.stderr)
        let keyword = try String(contentsOf: folder.url.appendingPathComponent("out/train_keyword.tsv"), encoding: .utf8)
        let question = try String(contentsOf: folder.url.appendingPathComponent("out/train_question.tsv"), encoding: .utf8)
        XCTAssertEqual(keyword, "text\tlabel\tsource\ncheap flights\tnatural\treview\nrome is old .\tnatural\treview\n"
                       + "why is the sky blue ?\tnatural\treview\n", "the latest review of a key counts")
        XCTAssertEqual(question, "text\tlabel\tsource\ncheap flights\tstatement\treview\nrome is old .\tstatement\treview\n"
                       + "why is the sky blue ?\tquestion\treview\n")
    }
}
