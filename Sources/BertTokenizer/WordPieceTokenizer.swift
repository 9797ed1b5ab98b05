import Foundation

/// HuggingFace's `BertTokenizer` (WordPiece, uncased or cased) reimplemented in Swift.
///
/// It exists so that querykind feeds its BERT model exactly the ids the model was trained on,
/// with no Python at run time. It reproduces transformers 5's `BertTokenizer`, which is the Rust
/// `tokenizers` pipeline (BertNormalizer, BertPreTokenizer, WordPiece, `[CLS] … [SEP]`); the
/// per-character tables were recorded from that pipeline (`scripts/make_tokenizer_unicode_tables.py`).
public struct WordPieceTokenizer: Sendable {
    private let vocabulary: Vocabulary
    private let basic: BasicTokenizer
    private var storedMaxLength: Int

    /// The most ids `encode` returns, `[CLS]` and `[SEP]` included (at least 2). The model sets it
    /// from `max_position_embeddings`; the cache key (`normalize`) depends on it.
    public var maxLength: Int {
        get { storedMaxLength }
        set { storedMaxLength = max(2, newValue) }
    }

    /// The version of `normalize`'s output format. Why: cache keys written by one version must never be read
    /// by another, so model ids (which name cache entries) include it; bump it whenever `normalize` changes.
    public static let normalizationVersion = 1

    /// Loads a vocabulary file (`vocab.txt`) and, if the file exists, a `tokenizer_config.json`
    /// (`do_lower_case`, default true). Throws `TokenizerError` naming the file at fault.
    public init(vocabularyFile: URL, configurationFile: URL) throws {
        let configuration = try TokenizerConfiguration(contentsOf: configurationFile)
        let tokens = try Vocabulary.tokens(contentsOf: vocabularyFile)
        self.init(vocabulary: tokens, lowercase: configuration.lowercase)
    }

    /// Builds a tokenizer from vocabulary tokens in id order (for tests and in-memory models).
    /// Special tokens missing from `vocabulary` get their standard BERT ids.
    public init(vocabulary: [String], lowercase: Bool = true, maxLength: Int = 512) {
        self.vocabulary = Vocabulary(tokens: vocabulary)
        basic = BasicTokenizer(lowercase: lowercase, specialTokens: self.vocabulary.specialTokens)
        storedMaxLength = max(2, maxLength)
    }

    /// The model's input ids for `text`: `[CLS]`, the WordPiece ids, `[SEP]`; when too long, the
    /// word pieces are cut so that the whole is `maxLength` ids, `[SEP]` kept last.
    public func encode(_ text: String) -> [Int32] {
        var collector = IDCollector(vocabulary: vocabulary, limit: maxLength - 2)
        basic.scan(text, into: &collector)
        if collector.ids.count > collector.limit + 1 { collector.ids.removeSubrange((collector.limit + 1)...) }
        collector.ids.append(vocabulary.separatorID)
        return collector.ids
    }

    /// The cache key of `text`: the canonical form of exactly what the model sees.
    ///
    /// It is the basic tokenizer's words (normalised: cleaned, lower-cased and accent-stripped
    /// when the tokenizer lower-cases, punctuation and CJK ideographs as words of their own) joined
    /// by single spaces; a word WordPiece cannot spell (or over 100 characters) is written `[UNK]`,
    /// special tokens written in the text stay as written, and the words stop with the first one
    /// whose pieces reach `maxLength - 2`, so even a megabyte of text has a key of bounded size.
    /// (One rare exception to "as the model sees it": a U+034F is kept between two combining marks
    /// that a dropped mark kept out of canonical order, so that tokenizing the key keeps them so.)
    /// Texts that tokenize alike share a key: `encode(normalize(x)) == encode(x)` and
    /// `normalize(normalize(x)) == normalize(x)`.
    public func normalize(_ text: String) -> String {
        var builder = KeyBuilder(vocabulary: vocabulary, limit: maxLength - 2)
        basic.scan(text, into: &builder)
        return String(decoding: builder.key, as: UTF8.self)
    }

    /// The share of the words of `key` (a `normalize` output) that the model reads as `[UNK]`: 0 when it knows
    /// every word, 1 when it knows none (emoji only, a script outside the vocabulary such as Thai), 0 for "".
    ///
    /// Why: the model's label for a text it cannot read is a guess about `[UNK]`, not about the text, so a text
    /// with share 1 is refused like a text without tokens, and a share above 0 is shown beside the label.
    /// Words, not word pieces: a word the vocabulary cannot spell is one `[UNK]` piece, the others one or more.
    public func unknownShare(ofKey key: String) -> Double {
        let unknown = vocabulary.unknownSpelling
        var words = 0
        var unknownWords = 0
        for word in key.utf8.split(separator: UInt8(ascii: " ")) {
            words += 1
            if word.elementsEqual(unknown) { unknownWords += 1 }
        }
        return words == 0 ? 0 : Double(unknownWords) / Double(words)
    }
}

/// Collects ids for `encode`, stopping once the word pieces fill the length limit.
private struct IDCollector: WordSink {
    let vocabulary: Vocabulary
    /// How many word-piece ids fit between `[CLS]` and `[SEP]`.
    let limit: Int
    var ids: [Int32]

    init(vocabulary: Vocabulary, limit: Int) {
        self.vocabulary = vocabulary
        self.limit = limit
        ids = [vocabulary.classifierID]
        ids.reserveCapacity(min(limit, 64) + 2)
    }

    mutating func word(_ word: WordBuffer) -> Bool {
        vocabulary.appendWordPieces(of: word, to: &ids)
        return ids.count - 1 < limit
    }

    mutating func special(_ token: SpecialToken) -> Bool {
        ids.append(token.id)
        return ids.count - 1 < limit
    }
}

/// Builds the key of `normalize` as UTF-8 bytes, counting pieces to know where the model stops.
private struct KeyBuilder: WordSink {
    let vocabulary: Vocabulary
    let limit: Int
    var key: [UInt8] = []
    private var pieces: [Int32] = []
    private var pieceCount = 0
    private let unknownSpelling: [UInt8]

    init(vocabulary: Vocabulary, limit: Int) {
        self.vocabulary = vocabulary
        self.limit = limit
        unknownSpelling = vocabulary.unknownSpelling
    }

    mutating func word(_ word: WordBuffer) -> Bool {
        guard pieceCount < limit else { return false }
        pieces.removeAll(keepingCapacity: true)
        vocabulary.appendWordPieces(of: word, to: &pieces)
        if !key.isEmpty { key.append(UInt8(ascii: " ")) }
        if pieces.count == 1 && pieces[0] == vocabulary.unknownID {
            key.append(contentsOf: unknownSpelling)
        } else if word.hasCombining {
            appendKeepingCombiningOrder(word)
        } else {
            key.append(contentsOf: UnsafeBufferPointer(start: word.bytes, count: word.byteCount))
        }
        pieceCount += pieces.count
        return pieceCount < limit
    }

    /// Appends a word whose combining marks are out of canonical order because a dropped mark of
    /// class 0 stood between them: a COMBINING GRAPHEME JOINER (itself such a mark, so dropped again)
    /// keeps that boundary when the key is tokenized, so NFD does not reorder it.
    private mutating func appendKeepingCombiningOrder(_ word: WordBuffer) {
        let table = ScalarTable.shared
        var previousClass: UInt8 = 0
        for index in 0..<word.storedScalars {
            let start = index == 0 ? 0 : Int(word.ends[index - 1])
            let scalar = word.scalar(at: index)
            let combiningClass = table.combiningClass(scalar)
            if combiningClass != 0 && previousClass > combiningClass {
                key.append(contentsOf: [0xCD, 0x8F])  // U+034F in UTF-8
            }
            key.append(contentsOf: UnsafeBufferPointer(start: word.bytes + start, count: Int(word.ends[index]) - start))
            previousClass = combiningClass
        }
    }

    mutating func special(_ token: SpecialToken) -> Bool {
        guard pieceCount < limit else { return false }
        if !key.isEmpty { key.append(UInt8(ascii: " ")) }
        key.append(contentsOf: token.bytes)
        pieceCount += 1
        return pieceCount < limit
    }
}
