import Foundation
import XCTest

/// `querykind review --db F` as a terminal session, driven through a pipe one key per answer: it shows each text
/// with its count, the model's probabilities and the progress; k/q/s record, space skips, u takes the last answer
/// back, x quits.
final class ReviewSessionCLITests: XCTestCase {
    func testOneKeyPerAnswerWithSkipUndoAndQuit() throws {
        let (folder, _) = try CLIFolder.labeled(rows: 12)
        defer { folder.remove() }
        let queue = try CommandRunner.run(["review", "--db", folder.db, "--model", CommandRunner.tinyModel, "--queue",
                                           "--json", "--limit", "4"], in: folder.url)
        let keys = try queue.stdout.split(separator: "\n").map {
            try XCTUnwrap((try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["normalized_text"]
                            as? String)
        }
        XCTAssertEqual(keys.count, 4)

        // Item 1: question. Item 2: skipped. Item 3: keyword, undone, then statement. Item 4: quit before answering.
        let session = try CommandRunner.run(["review", "--db", folder.db, "--model", CommandRunner.tinyModel,
                                             "--limit", "4", "--reviewer", "ann"],
                                            in: folder.url, stdin: "q kus?x")
        XCTAssertEqual(session.status, 0, session.stderr)
        let out = session.stdout
        XCTAssertTrue(out.contains("[1/4, 0 reviewed] "), out)
        XCTAssertTrue(out.contains("[3/4, 1 reviewed] "), out)
        XCTAssertTrue(out.contains("[4/4, 2 reviewed] "), out)
        XCTAssertTrue(out.contains("  model: ") && out.contains("p_keyword ") && out.contains(" time"), out)
        XCTAssertTrue(out.contains("→ skipped"), out)
        XCTAssertTrue(out.contains("→ undid review 2"), out)
        XCTAssertTrue(out.contains("keys: k keyword, q question"), "an unknown key shows the keys: \(out)")
        XCTAssertTrue(out.hasSuffix("reviewed 2, skipped 1\n"), out)
        XCTAssertEqual(try folder.rows("SELECT normalized_text, kind, reviewer FROM query_reviews ORDER BY id", columns: 3),
                       [[keys[0], "question", "ann"], [keys[2], "statement", "ann"]])

        // Again: the session takes the next unreviewed texts; end of input quits.
        let again = try CommandRunner.run(["review", "--db", folder.db, "--model", CommandRunner.tinyModel,
                                           "--limit", "4"], in: folder.url, stdin: "")
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("[1/4, 0 reviewed] "), again.stdout)
        XCTAssertTrue(again.stdout.hasSuffix("reviewed 0, skipped 0\n"), again.stdout)
    }
}
