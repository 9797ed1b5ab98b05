import BertClassifier
import XCTest
@testable import Benchmark

/// `bench`'s error figures against the reference path: the worst probability difference, and the shares of texts
/// whose kind, or either head's decision, changed.
final class DeviationTests: XCTestCase {
    func testIdenticalPredictionsDeviateNowhere() {
        let predictions = [QueryPrediction(pKeyword: 0.9, pQuestion: 0.1), QueryPrediction(pKeyword: 0.2, pQuestion: 0.7)]
        for deviation in [Deviation(predictions, from: predictions), Deviation([], from: [])] {
            XCTAssertEqual([Double(deviation.maxProbability), deviation.kindChanged, deviation.decisionChanged], [0, 0, 0])
        }
    }

    func testWorstDifferenceAndChangedSharesAreCountedPerText() {
        let reference = [
            QueryPrediction(pKeyword: 0.90, pQuestion: 0.10),  // keyword
            QueryPrediction(pKeyword: 0.20, pQuestion: 0.70),  // question
            QueryPrediction(pKeyword: 0.10, pQuestion: 0.45),  // statement
            QueryPrediction(pKeyword: 0.60, pQuestion: 0.60),  // keyword
        ]
        let fast = [
            QueryPrediction(pKeyword: 0.88, pQuestion: 0.10),  // same kind, 0.02 off
            QueryPrediction(pKeyword: 0.55, pQuestion: 0.70),  // keyword decision flips: now keyword (0.35 off)
            QueryPrediction(pKeyword: 0.10, pQuestion: 0.52),  // question decision flips: now question
            QueryPrediction(pKeyword: 0.60, pQuestion: 0.40),  // question decision flips, kind stays keyword
        ]
        let deviation = Deviation(fast, from: reference)
        XCTAssertEqual(deviation.maxProbability, 0.35, accuracy: 1e-6)
        XCTAssertEqual(deviation.kindChanged, 0.5, "two of four texts changed kind")
        XCTAssertEqual(deviation.decisionChanged, 0.5, "one keyword flip, two question flips: the larger of 1 and 2")
    }
}
