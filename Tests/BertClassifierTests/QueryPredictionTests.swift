import XCTest
@testable import BertClassifier

/// The kind rule: keyword wins at p_keyword ≥ 0.5, then question at p_question ≥ 0.5, else statement.
final class QueryPredictionTests: XCTestCase {
    func testKindRule() {
        XCTAssertEqual(QueryPrediction(pKeyword: 0.5, pQuestion: 0.9).kind, .keyword)
        XCTAssertEqual(QueryPrediction(pKeyword: 0.4999, pQuestion: 0.5).kind, .question)
        XCTAssertEqual(QueryPrediction(pKeyword: 0.2, pQuestion: 0.4999).kind, .statement)
        XCTAssertEqual(QueryPrediction(pKeyword: 0.99, pQuestion: 0.01).kind, .keyword)
    }
}
