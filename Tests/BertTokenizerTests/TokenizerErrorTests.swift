import BertTokenizer
import Foundation
import XCTest

/// A broken model directory must fail with an error naming the file, never crash or yield [UNK]s.
final class TokenizerErrorTests: XCTestCase {
    private func directory(vocab: Data?, config: String?) throws -> URL {
        let url = try TestSupport.temporaryDirectory(self)
        if let vocab { try vocab.write(to: url.appendingPathComponent("vocab.txt")) }
        if let config { try Data(config.utf8).write(to: url.appendingPathComponent("tokenizer_config.json")) }
        return url
    }

    private func assertError(_ url: URL, _ file: String, _ fragment: String, line: UInt = #line) {
        XCTAssertThrowsError(try WordPieceTokenizer(directory: url), line: line) { error in
            XCTAssertTrue(error is TokenizerError, "\(error)", line: line)
            let message = String(describing: error)
            XCTAssertTrue(message.contains(url.appendingPathComponent(file).path), message, line: line)
            XCTAssertTrue(message.contains(fragment), message, line: line)
        }
    }

    private let minimalVocab = Data("[PAD]\n[UNK]\n[CLS]\n[SEP]\nhello\n##s\n".utf8)

    func testMissingVocabulary() throws {
        assertError(try directory(vocab: nil, config: nil), "vocab.txt", "no such file")
    }

    func testVocabularyThatIsNotUTF8() throws {
        assertError(try directory(vocab: Data([0x5B, 0xFF, 0xFE, 0x0A]), config: nil), "vocab.txt", "UTF-8")
    }

    func testEmptyVocabulary() throws {
        assertError(try directory(vocab: Data(), config: nil), "vocab.txt", "empty")
    }

    func testVocabularyWithoutSpecialTokens() throws {
        assertError(try directory(vocab: Data("hello\nworld\n".utf8), config: nil), "vocab.txt", "[UNK]")
    }

    func testMalformedConfiguration() throws {
        assertError(try directory(vocab: minimalVocab, config: "{\"do_lower_case\": tru"), "tokenizer_config.json", "JSON")
        assertError(try directory(vocab: minimalVocab, config: "[true]"), "tokenizer_config.json", "JSON object")
        assertError(try directory(vocab: minimalVocab, config: "{\"do_lower_case\": \"yes\"}"),
                    "tokenizer_config.json", "do_lower_case")
        assertError(try directory(vocab: minimalVocab, config: "{\"tokenize_chinese_chars\": false}"),
                    "tokenizer_config.json", "not supported")
    }

    func testMinimalDirectoryLoads() throws {
        let url = try directory(vocab: Data("[PAD]\r\n[UNK]\r\n[CLS]\r\n[SEP]\r\nhello\r\n##s".utf8),
                                config: "{\"do_lower_case\": false, \"strip_accents\": null, \"other\": [1]}")
        let tokenizer = try WordPieceTokenizer(directory: url)
        XCTAssertEqual(tokenizer.encode("hellos Hello"), [2, 4, 5, 1, 3])
    }

    func testMissingConfigurationMeansLowerCase() throws {
        let tokenizer = try WordPieceTokenizer(directory: try directory(vocab: minimalVocab, config: nil))
        XCTAssertEqual(tokenizer.encode("HELLOS"), [2, 4, 5, 3])
    }
}
