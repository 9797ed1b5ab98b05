import Foundation
import LabelStore
import XCTest

/// The reviews part of the contract (`LabelDatabase+Reviews.swift`, the `<table>_labeled` view), run on each engine
/// by `StoreContractTests`. Keys are given as the labeling job would write them (no tokenizer here).
extension StoreContract {
    /// Labels ids 1…n of `texts` as keywords at 0.75 with the given keys (nil: the row could not be labeled).
    func labelWithKeys(_ texts: [String?], keys: [String?]) throws {
        try prepareQueries(texts)
        let runID = try startRun()
        let rows = try store.claimPending(pending(), runID: runID, after: nil, limit: texts.count)
        var batch = batch(rows)
        batch.cache.newEntries = []
        for (row, key) in zip(rows, keys) {
            batch.keys[row.id] = key
            if let key { batch.cache.newEntries.append((key, StoredLabel(kind: "keyword", pKeyword: 0.75, pQuestion: 0.25))) }
        }
        try store.write(batch, runID: runID)
        try store.finishRun(runID, status: .finished, error: nil)
    }

    /// The latest review of a key counts in the view, for every row with that key; earlier reviews stay as history;
    /// `query_labels` keeps the model's labels.
    func reviewsOfAKeyReachEveryRowAndTheLatestCounts() throws {
        try labelWithKeys(["How do magnets work?", "how do magnets work", "cheap flights", nil],
                          keys: ["how do magnets work ?", "how do magnets work", "cheap flights", nil])
        let shown = StoredLabel(kind: "keyword", pKeyword: 0.75, pQuestion: 0.25)
        let first = try store.recordReview(ReviewSubmission(key: "how do magnets work ?", kind: "statement",
                                                            reviewer: "ann", model: Self.model, shown: shown))
        let second = try store.recordReview(ReviewSubmission(key: "how do magnets work ?", kind: "question",
                                                             reviewer: "bob", note: "a real question"))
        XCTAssertLessThan(first.id, second.id, file: file, line: line)
        XCTAssertEqual(first.shown, shown, file: file, line: line)
        XCTAssertEqual(first.model, Self.model, file: file, line: line)
        XCTAssertNil(second.shown, file: file, line: line)
        XCTAssertEqual(second.note, "a real question", file: file, line: line)
        XCTAssertNotNil(second.reviewedAt.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/),
                        second.reviewedAt, file: file, line: line)

        let view = try store.rows("""
            SELECT id, kind, model_kind, reviewed_kind, reviewed_by FROM queries_labeled ORDER BY id
            """, []).map { $0.map { $0.text ?? "NULL" } }
        XCTAssertEqual(view, [["1", "question", "keyword", "question", "bob"],
                              ["2", "keyword", "keyword", "NULL", "NULL"],
                              ["3", "keyword", "keyword", "NULL", "NULL"],
                              ["4", "NULL", "NULL", "NULL", "NULL"]], file: file, line: line)
        XCTAssertEqual(try column("SELECT kind FROM query_labels ORDER BY query_id"),
                       ["keyword", "keyword", "keyword", "NULL"], "the model's labels stay", file: file, line: line)
        XCTAssertEqual(try store.reviews(key: "how do magnets work ?"), [first, second], file: file, line: line)
        XCTAssertEqual(try store.currentReviews(keys: ["how do magnets work ?", "cheap flights"]),
                       ["how do magnets work ?": second], file: file, line: line)
        XCTAssertEqual(try store.allCurrentReviews(), [second], file: file, line: line)
        XCTAssertEqual(try store.allReviews(), [first, second], file: file, line: line)
    }

    /// An unknown kind, an empty key or an empty reviewer is refused with `ReviewError`, and nothing is written.
    func reviewsRefuseBadInputWritingNothing() throws {
        try store.migrate()
        let mark = try store.reviewsMark()
        for (submission, expected) in [
            (ReviewSubmission(key: "sky", kind: "Question", reviewer: "ann"), ReviewError.unknownKind("Question")),
            (ReviewSubmission(key: "", kind: "question", reviewer: "ann"), .emptyText),
            (ReviewSubmission(key: "sky", kind: "question", reviewer: " "), .emptyReviewer),
        ] {
            XCTAssertThrowsError(try store.recordReview(submission), file: file, line: line) {
                XCTAssertEqual($0 as? ReviewError, expected, file: file, line: line)
            }
        }
        XCTAssertEqual(try store.reviewsMark(), mark, file: file, line: line)
        XCTAssertEqual(try count("SELECT count(*) FROM query_reviews"), 0, file: file, line: line)
    }

    /// The queue: unreviewed keys first, by (1 − 2 × margin on the deciding head) × occurrences, highest first;
    /// only the given model's cache; each with a source text of its key where a labeled row has it.
    func reviewQueueOrdersUncertainAndFrequentUnreviewedFirst() throws {
        try labelWithKeys(["Cheap Flights!"], keys: ["cheap flights !"])  // keyword at 0.75: 0.5 × 1
        var update = CacheUpdate(model: Self.model)
        update.newEntries = [
            ("sure keyword", StoredLabel(kind: "keyword", pKeyword: 0.9921875, pQuestion: 0.25)),  // 0.015625 × 1
            ("frequent keyword", StoredLabel(kind: "keyword", pKeyword: 0.875, pQuestion: 0.5)),   // 0.25 × 10
            ("why is it", StoredLabel(kind: "question", pKeyword: 0.125, pQuestion: 0.625)),     // 0.75 × 2
            ("reviewed", StoredLabel(kind: "statement", pKeyword: 0.5, pQuestion: 0.5)),          // 1 × 1, reviewed
        ]
        try store.recordCache(update)
        var hits = CacheUpdate(model: Self.model)
        hits.hits = ["frequent keyword": 9, "why is it": 1]
        try store.recordCache(hits)
        var other = CacheUpdate(model: "m@2")
        other.newEntries = [("other model", StoredLabel(kind: "keyword", pKeyword: 0.5, pQuestion: 0.5))]
        try store.recordCache(other)
        _ = try store.recordReview(ReviewSubmission(key: "reviewed", kind: "statement", reviewer: "ann"))

        let queue = try store.reviewQueue(model: Self.model, limit: 10)
        XCTAssertEqual(queue.map(\.key), ["frequent keyword", "why is it", "cheap flights !", "sure keyword", "reviewed"],
                       file: file, line: line)
        XCTAssertEqual(queue.map(\.priority), [2.5, 1.5, 0.5, 0.015625, 1], file: file, line: line)
        XCTAssertEqual(queue.map(\.occurrences), [10, 2, 1, 1, 1], file: file, line: line)
        XCTAssertEqual(queue.map(\.reviews), [0, 0, 0, 0, 1], file: file, line: line)
        XCTAssertEqual(queue.map(\.text), [nil, nil, "Cheap Flights!", nil, nil], file: file, line: line)
        XCTAssertEqual(try store.reviewQueue(model: Self.model, limit: 2).map(\.key), ["frequent keyword", "why is it"],
                       file: file, line: line)
    }
}
