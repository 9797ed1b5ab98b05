import BertTokenizer
import Foundation
import XCTest

/// The cache-key properties over real queries: at least 100k texts from ../shared/corpora
/// (skipped where this checkout has no ../shared). The texts are read at run time, never committed.
final class CorpusPropertyTests: XCTestCase {
    /// Raw files and how to take the text out of one line of each.
    private static let sources: [(path: String, text: @Sendable (Substring) -> Substring?)] = [
        ("anserini-topics/topics.mq.1-10000.txt", { afterColons($0) }),
        ("anserini-topics/topics.mq.10001-20000.txt", { afterColons($0) }),
        ("anserini-topics/topics.mq.20001-60000.txt", { afterColons($0) }),
        ("anserini-topics/topics.terabyte05.efficiency.txt", { afterColons($0) }),
        ("query-wellformedness/train.tsv", { field($0, 0, "\t") }),
        ("query-wellformedness/dev.tsv", { field($0, 0, "\t") }),
        ("query-wellformedness/test.tsv", { field($0, 0, "\t") }),
    ]

    /// `qid:query` or `qid:priority:query`.
    private static func afterColons(_ line: Substring) -> Substring? {
        let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2 else { return nil }
        return parts.count == 3 && parts[1].allSatisfy(\.isNumber) ? parts[2] : line[parts[1].startIndex...]
    }

    private static func field(_ line: Substring, _ index: Int, _ separator: Character) -> Substring? {
        let fields = line.split(separator: separator, omittingEmptySubsequences: false)
        return index < fields.count ? fields[index] : nil
    }

    func testNormalizeIsAFaithfulIdempotentKeyOverCorpusTexts() throws {
        guard let corpora = TestSupport.sharedCorpora else { throw XCTSkip("../shared/corpora is absent") }
        var texts = Set<Substring>()
        for source in Self.sources {
            let url = corpora.appendingPathComponent(source.path)
            guard let data = try? Data(contentsOf: url) else {
                XCTFail("cannot read \(url.path)")
                continue
            }
            let content = String(decoding: data, as: UTF8.self)  // a few files have stray Latin-1 bytes
            for line in content.split(whereSeparator: \.isNewline) {
                if let text = source.text(line) { texts.insert(text) }
            }
        }
        XCTAssertGreaterThanOrEqual(texts.count, 100_000)
        let tokenizer = TestSupport.uncased
        var failures = 0
        for text in texts {
            let original = String(text)
            let key = tokenizer.normalize(original)
            if tokenizer.encode(key) != tokenizer.encode(original) || !tokenizer.normalize(key).utf8.elementsEqual(key.utf8) {
                failures += 1
                if failures <= 10 { XCTFail("normalize properties fail for \(original.debugDescription)") }
            }
        }
        XCTAssertEqual(failures, 0, "of \(texts.count) corpus texts")
    }
}
