import Annotator
import LabelStore
import XCTest

/// The confidence gate's rule: which heads decide a kind, and where "within the margin" ends.
final class UncertainMarginTests: XCTestCase {
    private func kind(_ kind: String, _ pKeyword: Double, _ pQuestion: Double, margin: Double) throws -> String {
        try UncertainMargin(margin).apply(to: StoredLabel(kind: kind, pKeyword: pKeyword, pQuestion: pQuestion)).kind
    }

    func testAKindIsUncertainWhenAHeadThatDecidedItIsStrictlyWithinTheMargin() throws {
        XCTAssertEqual(try kind("keyword", 0.65, 0.5, margin: 0.2), "uncertain")
        XCTAssertEqual(try kind("keyword", 0.75, 0.5, margin: 0.2), "keyword", "0.25 from 0.5; the question head "
            + "does not decide a keyword")
        XCTAssertEqual(try kind("keyword", 0.75, 0.1, margin: 0.25), "keyword", "exactly the margin is not within it")
        XCTAssertEqual(try kind("question", 0.45, 0.99, margin: 0.1), "uncertain",
                       "the keyword head's no is part of a question's decision")
        XCTAssertEqual(try kind("question", 0.01, 0.55, margin: 0.1), "uncertain")
        XCTAssertEqual(try kind("statement", 0.01, 0.02, margin: 0.1), "statement")
        XCTAssertEqual(try kind("statement", 0.5, 0.02, margin: 0), "statement", "0 is off, even at 0.5")
    }

    func testProbabilitiesUnlabeledAndReviewedRecordsAreUnchanged() throws {
        let label = StoredLabel(kind: "keyword", pKeyword: 0.55, pQuestion: 0.3)
        let records = [PredictionRecord(text: "a", label: label, cached: true),
                       PredictionRecord(text: "", label: nil, error: "text is empty"),
                       PredictionRecord(text: "b", label: label, reviewed: true)]
        let gated = try UncertainMargin(0.1).apply(to: records)
        XCTAssertEqual(gated[0].label, StoredLabel(kind: "uncertain", pKeyword: 0.55, pQuestion: 0.3))
        XCTAssertEqual(gated[0].cached, true)
        XCTAssertEqual(gated[1], records[1])
        XCTAssertEqual(gated[2], records[2], "a reviewed kind is a person's, never gated")
    }

    func testAMarginOutsideZeroToOneHalfIsRefused() {
        for value in [-0.01, 0.51, 1, .nan, .infinity] {
            XCTAssertThrowsError(try UncertainMargin(value), "\(value)")
        }
        XCTAssertEqual(try UncertainMargin(0.5).value, 0.5)
        XCTAssertThrowsError(try UncertainMargin(0.7)) { error in
            XCTAssertEqual("\(error)", "must be a number from 0 to 0.5 (the margin around 0.5 within which a kind "
                + "is uncertain), not 0.7")
        }
    }
}
