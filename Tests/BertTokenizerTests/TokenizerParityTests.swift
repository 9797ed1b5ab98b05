import BertTokenizer
import XCTest

/// The Swift tokenizer must give exactly HuggingFace's ids for every committed fixture text.
final class TokenizerParityTests: XCTestCase {
    func testUncasedFixtureMatchesHuggingFace() throws {
        try assertParity(TestSupport.uncased, rows: TestSupport.rows("tokenizer_parity.jsonl"), minimum: 1_000)
    }

    func testCasedFixtureMatchesHuggingFace() throws {
        try assertParity(TestSupport.cased, rows: TestSupport.rows("tokenizer_parity_cased.jsonl"), minimum: 300)
    }

    func testWellKnownIDs() {
        XCTAssertEqual(TestSupport.uncased.encode("Hello, World!"), [101, 7592, 1010, 2088, 999, 102])
        XCTAssertEqual(TestSupport.uncased.encode(""), [101, 102])
        XCTAssertEqual(TestSupport.uncased.encode("hello[MASK]world"), [101, 7592, 103, 2088, 102])
    }

    private func assertParity(_ tokenizer: WordPieceTokenizer, rows: [ParityRow], minimum: Int,
                              file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertGreaterThanOrEqual(rows.count, minimum, file: file, line: line)
        var failures = 0
        for row in rows {
            let ids = tokenizer.encode(row.text)
            if ids != row.ids {
                failures += 1
                if failures <= 10 {
                    XCTFail("\(row.text.debugDescription): expected \(row.ids), got \(ids)", file: file, line: line)
                }
            }
        }
        XCTAssertEqual(failures, 0, "texts whose ids differ from HuggingFace", file: file, line: line)
    }
}
