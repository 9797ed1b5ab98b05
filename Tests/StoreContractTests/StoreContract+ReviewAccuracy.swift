import Foundation
import LabelStore
import XCTest

/// `reviewAccuracy` (`eval --db`) on each engine, against figures counted by hand from the labels and reviews below.
extension StoreContract {
    func reviewAccuracyEqualsAHandCount() throws {
        try store.migrate()
        var first = CacheUpdate(model: Self.model)
        first.newEntries = [
            ("a", StoredLabel(kind: "keyword", pKeyword: 0.75, pQuestion: 0.25)),
            ("b", StoredLabel(kind: "keyword", pKeyword: 0.625, pQuestion: 0.75)),
            ("c", StoredLabel(kind: "question", pKeyword: 0.25, pQuestion: 0.75)),
            ("d", StoredLabel(kind: "statement", pKeyword: 0.25, pQuestion: 0.25)),
            ("e", StoredLabel(kind: "question", pKeyword: 0.125, pQuestion: 0.875)),  // never reviewed
        ]
        try store.recordCache(first)
        var second = CacheUpdate(model: "m@2")
        second.newEntries = [("a", StoredLabel(kind: "statement", pKeyword: 0.25, pQuestion: 0.25))]
        try store.recordCache(second)
        for (key, kind, reviewer) in [("a", "keyword", "ann"), ("b", "question", "ann"), ("c", "statement", "ann"),
                                      ("d", "statement", "ann"), ("c", "statement", "bob"), ("d", "question", "bob")] {
            _ = try store.recordReview(ReviewSubmission(key: key, kind: kind, reviewer: reviewer))
        }

        let accuracy = try store.reviewAccuracy()
        typealias Score = ReviewAccuracy.Score
        XCTAssertEqual(accuracy.models, [
            ReviewAccuracy.Model(
                model: Self.model, reviews: 4, kindAccuracy: 0.25,
                heads: ["keyword": Score(right: 3, n: 4), "question": Score(right: 1, n: 3)],
                kinds: ["keyword": Score(right: 1, n: 1), "question": Score(right: 0, n: 2),
                        "statement": Score(right: 0, n: 1)],
                confusion: ["keyword": ["keyword": 1], "question": ["keyword": 1, "statement": 1],
                            "statement": ["question": 1]]),
            ReviewAccuracy.Model(
                model: "m@2", reviews: 1, kindAccuracy: 0,
                heads: ["keyword": Score(right: 0, n: 1), "question": Score(right: 0, n: 0)],
                kinds: ["keyword": Score(right: 0, n: 1), "question": Score(right: 0, n: 0),
                        "statement": Score(right: 0, n: 0)],
                confusion: ["keyword": ["statement": 1]]),
        ], file: file, line: line)
        XCTAssertEqual(accuracy.models[1].heads["question"]?.accuracy, nil, file: file, line: line)
        XCTAssertEqual(accuracy.agreement, ReviewAccuracy.Agreement(keys: 2, agreeing: 1, rate: 0.5),
                       file: file, line: line)
    }
}
