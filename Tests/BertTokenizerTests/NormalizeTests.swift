import BertTokenizer
import XCTest

/// `normalize` is the label cache key: texts the model cannot tell apart must share it, and it
/// must be stable when applied again.
final class NormalizeTests: XCTestCase {
    func testPropertiesHoldOverFixtures() throws {
        for (tokenizer, name) in [(TestSupport.uncased, "tokenizer_parity.jsonl"),
                                  (TestSupport.cased, "tokenizer_parity_cased.jsonl")] {
            for row in try TestSupport.rows(name) {
                let key = tokenizer.normalize(row.text)
                XCTAssertEqual(tokenizer.encode(key), row.ids, "encode(normalize(\(row.text.debugDescription)))")
                // Compared as UTF-8: String equality would forgive canonically equivalent spellings.
                XCTAssertEqual(Array(tokenizer.normalize(key).utf8), Array(key.utf8),
                               "normalize twice: \(row.text.debugDescription)")
            }
        }
    }

    func testKeyIsTheModelsView() {
        let tokenizer = TestSupport.uncased
        XCTAssertEqual(tokenizer.normalize("  Hello,\tWORLD!! "), "hello , world ! !")
        XCTAssertEqual(tokenizer.normalize("Café Crème"), "cafe creme")
        XCTAssertEqual(tokenizer.normalize("中文abc"), "中 文 abc")
        XCTAssertEqual(tokenizer.normalize("what is [MASK]?"), "what is [MASK] ?")
        XCTAssertEqual(tokenizer.normalize("zero\u{200B}width"), "zerowidth")
        XCTAssertEqual(tokenizer.normalize(""), "")
        XCTAssertEqual(tokenizer.normalize(" \t\n"), "")
        // Words the model sees as [UNK] are written [UNK], so every key has a bounded length.
        XCTAssertEqual(tokenizer.normalize("ok " + String(repeating: "a", count: 101)), "ok [UNK]")
        XCTAssertEqual(tokenizer.normalize("Hello, World!"), tokenizer.normalize("hello ,world !"))
    }

    func testKeyStopsWhereTheModelStops() {
        var tokenizer = TestSupport.uncased
        tokenizer.maxLength = 6
        // 4 pieces fit: "hello", "world", then "antidisestablishmentarianism" (anti ##dis ##est …)
        // straddles the limit, so it is kept whole and nothing after it.
        let text = "hello world antidisestablishmentarianism again more"
        XCTAssertEqual(tokenizer.normalize(text), "hello world antidisestablishmentarianism")
        XCTAssertEqual(tokenizer.encode(tokenizer.normalize(text)), [101, 7592, 2088, 3424, 10521, 102])
        XCTAssertEqual(tokenizer.encode(text), [101, 7592, 2088, 3424, 10521, 102])
        let huge = String(repeating: "lorem ipsum dolor sit amet ", count: 40_000)  // about 1 MB
        XCTAssertLessThan(TestSupport.uncased.normalize(huge).utf8.count, 4_000)
    }
}
