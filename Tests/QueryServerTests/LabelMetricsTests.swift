import Annotator
import LabelStore
@testable import QueryServer
import XCTest

/// `/metrics` has the live mix and the model's confidence: `querykind_labels_total{kind, source="http"}` counts every
/// label answered (cache hits too: the mix is what was asked), `querykind_confidence{head}` each head's probability
/// of the class it decided; texts that cannot be labeled count in neither.
final class LabelMetricsTests: XCTestCase {
    func testAnsweredLabelsCountPerKindAndConfidencePerHead() async throws {
        let texts = ["how do magnets work", "cheap flights rome", "I like pizza.", "why is the sky blue?", ""]
        try await ServerUnderTest.run(ServerUnderTest.settings(), metrics: ServerMetrics()) { client in
            let first = try await client.classify(texts)
            // The same texts again: answered from the memory cache, and counted again.
            let again = try await client.classify(texts)
            XCTAssertEqual(again.map(\.cached), [true, true, true, true, false])
            let labels = (first + again).compactMap(\.label)
            XCTAssertEqual(labels.count, 8, "the empty text twice has no label")
            for kind in ["keyword", "question", "statement"] {
                let answered = try await client.metric(#"querykind_labels_total{kind="\#(kind)",source="http"}"#)
                XCTAssertEqual(answered, Double(labels.count { $0.kind == kind }), kind)
                let watched = try await client.metric(#"querykind_labels_total{kind="\#(kind)",source="watch"}"#)
                XCTAssertEqual(watched, 0, "no watch loop runs")
            }
            let keyword = labels.map { max($0.pKeyword, 1 - $0.pKeyword) }
            let question = labels.filter { $0.kind != "keyword" }.map { max($0.pQuestion, 1 - $0.pQuestion) }
            for (head, values) in [("keyword", keyword), ("question", question)] {
                let count = try await client.metric(#"querykind_confidence_count{head="\#(head)"}"#)
                XCTAssertEqual(count, Double(values.count), head)
                let sum = try await client.metric(#"querykind_confidence_sum{head="\#(head)"}"#)
                // The answers print the model's Float probabilities; the metrics add up their Double values.
                XCTAssertEqual(sum, values.reduce(0, +), accuracy: 1e-6, head)
                for bound in [0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1] {
                    let bucket = try await client.metric(#"querykind_confidence_bucket{head="\#(head)",le="\#(bound)"}"#)
                    XCTAssertEqual(bucket, Double(values.count { $0 <= bound }), "\(head) le \(bound)")
                }
            }
            // The series exist from the start: a bucket's 0 above is a count, not a missing line.
            let text = try await client.metricsText()
            XCTAssertTrue(text.contains(#"querykind_confidence_bucket{head="question",le="0.5"}"#), text)
            XCTAssertTrue(text.contains(#"querykind_labels_total{kind="statement",source="watch"} 0"#), text)
        }
    }
}
