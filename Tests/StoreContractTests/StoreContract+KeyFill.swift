import Annotator
import BertClassifier
import Foundation
import LabelStore
import QueryKindTestSupport
import XCTest

/// Filling the keys of labels written before keys were stored (`LabelDatabase.fillMissingKeys`), run by a real
/// labeling job with the tiny fixture model, so the keys are the job's own.
extension StoreContract {
    static let tinyModel = Repository.modelFixtures.appendingPathComponent("tiny-safetensors")

    /// Rows whose key is NULL (as if labeled before the reviews migration) get their key at the next `label` run,
    /// the key labeling wrote, so a review reaches them in the view; an error row and a label whose source row is
    /// gone stay NULL; a second run changes nothing.
    func labelingFillsTheKeysOfLabelsWrittenBeforeKeys() throws {
        try prepareQueries(["How do Magnets WORK?", "cheap flights", "how do magnets work", nil, "gone tomorrow"])
        let classifier = try QueryClassifier(modelDirectory: Self.tinyModel)
        let session = try LabelingSession.open(store: store, source: Self.source) { classifier }
        _ = try LabelingJob(session: session).labelAll()
        let keysQuery = "SELECT normalized_text FROM query_labels ORDER BY query_id"
        let written = try column(keysQuery)
        XCTAssertEqual(written.filter { $0 == "NULL" }.count, 1, "only the NULL text has no key", file: file, line: line)

        try store.execute("UPDATE query_labels SET normalized_text = NULL", [])
        try store.execute("DELETE FROM queries WHERE id = 5", [])
        let modelKind = try column("SELECT kind FROM query_labels WHERE query_id = 1")[0]
        let reviewed = Review.kinds.first { $0 != modelKind }!
        _ = try store.recordReview(ReviewSubmission(key: written[0], kind: reviewed, reviewer: "ann"))
        let viewQuery = "SELECT kind, reviewed_by FROM queries_labeled WHERE id = 1"
        XCTAssertEqual(try store.rows(viewQuery, [])[0].map(\.text), [modelKind, nil], "the gap", file: file, line: line)

        _ = try LabelingJob(session: session).labelAll()
        XCTAssertEqual(try column(keysQuery), Array(written[0..<4]) + ["NULL"], file: file, line: line)
        XCTAssertEqual(try store.rows(viewQuery, [])[0].map(\.text), [reviewed, "ann"], file: file, line: line)

        _ = try LabelingJob(session: session).labelAll()
        XCTAssertEqual(try column(keysQuery), Array(written[0..<4]) + ["NULL"], "idempotent", file: file, line: line)
    }
}
