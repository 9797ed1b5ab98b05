import Annotator
import LabelStore
import XCTest

/// The labeling pipeline reads batch N+1 before batch N reaches the cache; it must still run each key through the
/// model once per pass and write every row once, in order.
final class BatchPipelineTests: XCTestCase {
    func testAKeyRepeatedAcrossBatchesIsInferredOnce() throws {
        let db = try QueryDatabase()
        let texts = ["cheap flights paris", "where is berlin?", "Berlin is in Germany.", "weather tomorrow", "hi there"]
        try db.insert((0..<100).map { texts[$0 % texts.count] })
        let summary = try LabelingJob(session: try db.session(), options: .init(rowsPerTransaction: 10)).labelAll()
        XCTAssertEqual(summary.counters.scanned, 100)
        XCTAssertEqual(summary.counters.inferences, texts.count, "one inference per distinct key in the pass")
        XCTAssertEqual(summary.counters.cacheHits, 100 - texts.count)
        XCTAssertEqual(try db.count("SELECT count(*) FROM label_cache"), texts.count)
        XCTAssertEqual(try db.count("SELECT sum(hits) FROM label_cache"), 100 - texts.count)
        XCTAssertEqual(try db.count("SELECT count(DISTINCT query_id) FROM query_labels WHERE kind IS NOT NULL"), 100)
        XCTAssertEqual(try db.count("SELECT sum(rows_scanned) FROM label_runs"), 100)
    }
}
