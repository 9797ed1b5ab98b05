import Foundation
import XCTest

/// `querykind eval --db --json` (issue 22): the model's accuracy on reviewed texts equals a hand count of the
/// reviews against the labels the reviewers were shown.
final class ReviewEvalCLITests: XCTestCase {
    func testEvalOnReviewsEqualsAHandCount() throws {
        let (folder, _) = try CLIFolder.labeled(rows: 12)
        defer { folder.remove() }
        let run = { (arguments: [String]) in
            try CommandRunner.run(arguments + ["--db", folder.db], in: folder.url)
        }
        let queue = try run(["review", "--model", CommandRunner.tinyModel, "--queue", "--json", "--limit", "6"])
        let items = try queue.stdout.split(separator: "\n").map {
            try XCTUnwrap(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        XCTAssertEqual(items.count, 6)
        let kinds = ["keyword", "question", "statement"]
        var right = 0, keywordHeadRight = 0, questionHeadRight = 0, questionHeadN = 0
        for (index, item) in items.enumerated() {
            let label = try XCTUnwrap(item["label"] as? [String: Any])
            let modelKind = try XCTUnwrap(label["kind"] as? String)
            // The first three agree with the model, the last three do not.
            let kind = index < 3 ? modelKind : kinds[(kinds.firstIndex(of: modelKind)! + 1) % 3]
            let review = try run(["review", "--model", CommandRunner.tinyModel, "--text",
                                  try XCTUnwrap(item["normalized_text"] as? String), "--kind", kind, "--reviewer", "ann"])
            XCTAssertEqual(review.status, 0, review.stderr)
            if kind == modelKind { right += 1 }
            if ((label["p_keyword"] as! Double) >= 0.5) == (kind == "keyword") { keywordHeadRight += 1 }
            if kind != "keyword" {
                questionHeadN += 1
                if ((label["p_question"] as! Double) >= 0.5) == (kind == "question") { questionHeadRight += 1 }
            }
            if index == 0 {  // a second reviewer agrees on the first text
                XCTAssertEqual(try run(["review", "--model", CommandRunner.tinyModel, "--text",
                                        item["normalized_text"] as! String, "--kind", kind, "--reviewer", "bob"]).status, 0)
            }
        }

        let eval = try run(["eval", "--json"])
        XCTAssertEqual(eval.status, 0, eval.stderr)
        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(eval.stdout.utf8)) as? [String: Any])
        let models = try XCTUnwrap(report["models"] as? [[String: Any]])
        XCTAssertEqual(models.count, 1)
        let model = models[0]
        XCTAssertEqual(model["reviews"] as? Int, 6)
        XCTAssertEqual(model["kind_accuracy"] as? Double, Double(right) / 6)
        XCTAssertEqual(right, 3)
        let heads = try XCTUnwrap(model["heads"] as? [String: [String: Any]])
        XCTAssertEqual(heads["keyword"]?["n"] as? Int, 6)
        XCTAssertEqual(heads["keyword"]?["accuracy"] as? Double, Double(keywordHeadRight) / 6)
        XCTAssertEqual(heads["question"]?["n"] as? Int, questionHeadN)
        XCTAssertEqual(heads["question"]?["accuracy"] as? Double,
                       questionHeadN == 0 ? nil : Double(questionHeadRight) / Double(questionHeadN))
        let confusion = try XCTUnwrap(model["confusion"] as? [String: [String: Int]])
        XCTAssertEqual(confusion.values.flatMap(\.values).reduce(0, +), 6)
        let agreement = try XCTUnwrap(report["agreement"] as? [String: Any])
        XCTAssertEqual(agreement["keys"] as? Int, 1)
        XCTAssertEqual(agreement["agreeing"] as? Int, 1)

        let text = try run(["eval"])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("6 reviewed texts, kind accuracy 50.0%"), text.stdout)
        let refused = try run(["eval", "--head", "keyword"])
        XCTAssertEqual(refused.status, 64, refused.stderr)
    }
}
