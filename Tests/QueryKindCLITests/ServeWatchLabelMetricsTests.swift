import Foundation
import QueryKindTestSupport
import XCTest

/// `serve --watch` counts the labels its loop writes in `querykind_labels_total{source="watch"}` and in the
/// confidence histograms: per kind exactly the rows `query_labels` holds, a row that could not be labeled in neither.
final class ServeWatchLabelMetricsTests: XCTestCase {
    func testTheWatchLoopCountsEachLabelItWrites() throws {
        let folder = try CLIFolder()
        try folder.createQueries(cliQueries(40) + [""])
        let server = try ServeProcess(["--model", CommandRunner.tinyModel, "--db", folder.db, "--watch",
                                       "--interval", "0.1"], in: folder.url)
        try waitUntil(within: 60) {
            try !server.child.process.isRunning || server.metric("querykind_labels_total") == 40
        }
        XCTAssertEqual(try folder.count("SELECT count(*) FROM query_labels"), 41, server.child.stderr)
        for kind in ["keyword", "question", "statement"] {
            XCTAssertEqual(try server.metric(#"querykind_labels_total{kind="\#(kind)",source="watch"}"#),
                           Double(try folder.count("SELECT count(*) FROM query_labels WHERE kind = '\(kind)'")), kind)
            XCTAssertEqual(try server.metric(#"querykind_labels_total{kind="\#(kind)",source="http"}"#), 0, kind)
        }
        let decided = [("keyword", "max(p_keyword, 1 - p_keyword)", "kind IS NOT NULL"),
                       ("question", "max(p_question, 1 - p_question)", "kind IN ('question', 'statement')")]
        for (head, confidence, rows) in decided {
            XCTAssertEqual(try server.metric(#"querykind_confidence_count{head="\#(head)"}"#),
                           Double(try folder.count("SELECT count(*) FROM query_labels WHERE \(rows)")), head)
            for bound in ["0.7", "0.9"] {
                XCTAssertEqual(try server.metric(#"querykind_confidence_bucket{head="\#(head)",le="\#(bound)"}"#),
                               Double(try folder.count(
                                   "SELECT count(*) FROM query_labels WHERE \(rows) AND \(confidence) <= \(bound)")),
                               "\(head) le \(bound)")
            }
        }
        let output = try server.terminate()
        XCTAssertEqual(output.status, 0, output.stderr)
    }
}
