import BertTokenizer
import XCTest

/// When lower-casing, HuggingFace applies NFD to the whole text, which sorts runs of combining
/// marks by combining class. The bert-base vocab has no token where that shows, so these use a
/// vocabulary that does; the expected orders were read from HuggingFace's BertNormalizer.
final class CombiningOrderTests: XCTestCase {
    private let tokenizer = WordPieceTokenizer(vocabulary: [
        "[PAD]", "[UNK]", "[CLS]", "[SEP]",
        "x\u{302E}\u{08D4}y",  // 4: class 224 before class 230
        "x\u{08D4}\u{302E}y",  // 5: the same marks unsorted
        "x\u{1D165}\u{1D16D}y",  // 6: class 216 before class 226
        "x\u{302E}\u{08D4}\u{1B44}\u{302E}\u{08D4}y",  // 7
    ])

    func testMarksAreSortedByCombiningClass() {
        XCTAssertEqual(tokenizer.encode("x\u{08D4}\u{302E}y"), [2, 4, 3])
        XCTAssertEqual(tokenizer.encode("X\u{1D16D}\u{0301}\u{1D165}Y"), [2, 6, 3], "a dropped mark of class 230 is no barrier")
        XCTAssertEqual(tokenizer.encode("x\u{08D4}\u{00AD}\u{302E}y"), [2, 4, 3], "a dropped control character is no barrier")
    }

    func testDroppedMarkOfClassZeroStopsTheSort() {
        XCTAssertEqual(tokenizer.encode("x\u{08D4}\u{034F}\u{302E}y"), [2, 5, 3])
        XCTAssertEqual(tokenizer.encode("x\u{08D4}\u{302E}\u{034F}\u{08D4}\u{302E}\u{1B44}y"), [2, 7, 3])
    }

    func testCacheKeyKeepsTheBarrier() {
        for text in ["x\u{08D4}\u{034F}\u{302E}y", "x\u{08D4}\u{302E}\u{034F}\u{08D4}\u{302E}\u{1B44}y", "x\u{08D4}\u{302E}y"] {
            let key = tokenizer.normalize(text)
            XCTAssertEqual(tokenizer.encode(key), tokenizer.encode(text))
            XCTAssertEqual(Array(tokenizer.normalize(key).utf8), Array(key.utf8))
        }
    }

    func testCasedTokenizerDoesNotReorder() {
        let cased = WordPieceTokenizer(vocabulary: ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "x\u{08D4}\u{302E}y"], lowercase: false)
        XCTAssertEqual(cased.encode("x\u{08D4}\u{302E}y"), [2, 4, 3])
    }
}
