import BertTokenizer
import XCTest

/// Long texts are cut to `maxLength` ids with `[SEP]` kept last, as HuggingFace truncates.
final class TruncationTests: XCTestCase {
    func testLongTextIsCutKeepingSeparator() {
        var tokenizer = TestSupport.uncased
        let text = String(repeating: "the quick brown fox ", count: 300)
        let full = tokenizer.encode(text)
        XCTAssertEqual(full.count, 512)
        XCTAssertEqual(full.first, 101)
        XCTAssertEqual(full.last, 102)
        tokenizer.maxLength = 8
        let short = tokenizer.encode(text)
        XCTAssertEqual(short, [101, 1996, 4248, 2829, 4419, 1996, 4248, 102])
        XCTAssertEqual(Array(short.dropLast()), Array(full.prefix(7)))
    }

    func testWordStraddlingTheLimitIsCutMidWord() {
        var tokenizer = TestSupport.uncased
        tokenizer.maxLength = 4
        // "antidisestablishmentarianism" is anti ##dis ##est …; only its first two pieces fit.
        XCTAssertEqual(tokenizer.encode("antidisestablishmentarianism"), [101, 3424, 10521, 102])
    }

    func testMaxLengthNeverBelowTwo() {
        var tokenizer = TestSupport.uncased
        tokenizer.maxLength = 0
        XCTAssertEqual(tokenizer.maxLength, 2)
        XCTAssertEqual(tokenizer.encode("hello world"), [101, 102])
        XCTAssertEqual(tokenizer.normalize("hello world"), "")
    }

    func testShortTextIsNotPadded() {
        XCTAssertEqual(TestSupport.uncased.encode("hello").count, 3)
    }
}
