import BertTokenizer
import Foundation
import QueryKindTestSupport
import XCTest

/// One line of a parity fixture: a text and the ids HuggingFace's BertTokenizer gave it.
struct ParityRow: Decodable {
    let text: String
    let ids: [Int32]
}

/// Access to the committed fixtures and to the optional ../shared corpora.
enum TestSupport {
    /// The folder with the committed bert-base-uncased vocab.txt and tokenizer_config.json.
    static var vocabDirectory: URL {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures/vocab")
    }

    /// The uncased tokenizer the fixtures were made with (loaded once: the vocab is 30k tokens).
    static let uncased: WordPieceTokenizer = {
        do {
            return try WordPieceTokenizer(directory: vocabDirectory)
        } catch {
            fatalError("committed fixture vocabulary must load: \(error)")
        }
    }()

    /// The same vocabulary without lower-casing.
    static let cased: WordPieceTokenizer = {
        let tokens = (try? String(contentsOf: vocabDirectory.appendingPathComponent("vocab.txt"), encoding: .utf8))?
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init) ?? []
        return WordPieceTokenizer(vocabulary: tokens, lowercase: false)
    }()

    static func rows(_ name: String) throws -> [ParityRow] {
        let url = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/\(name)")
        let text = try String(contentsOf: url, encoding: .utf8)
        let decoder = JSONDecoder()
        return try text.split(separator: "\n").map { try decoder.decode(ParityRow.self, from: Data($0.utf8)) }
    }

    /// ../shared/corpora next to the repository, or nil when this checkout has none.
    static var sharedCorpora: URL? {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let corpora = root.deletingLastPathComponent().appendingPathComponent("shared/corpora")
        return FileManager.default.fileExists(atPath: corpora.path) ? corpora : nil
    }

    /// A fresh temporary directory, removed when the test ends.
    static func temporaryDirectory(_ test: XCTestCase) throws -> URL {
        let folder = try TemporaryFolder("bert-tokenizer")
        test.addTeardownBlock { folder.remove() }
        return folder.url
    }
}

extension WordPieceTokenizer {
    /// The tokenizer of a folder holding `vocab.txt` and, optionally, `tokenizer_config.json`.
    init(directory: URL) throws {
        try self.init(vocabularyFile: directory.appendingPathComponent("vocab.txt"),
                      configurationFile: directory.appendingPathComponent("tokenizer_config.json"))
    }
}
