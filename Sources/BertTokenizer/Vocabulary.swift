import Foundation

/// A special token (`[CLS]`, `[MASK]`, …): added by the tokenizer, and recognised when written
/// literally in a text, exactly as HuggingFace's added-token matching does (case-sensitive).
struct SpecialToken: Sendable {
    let text: String
    let bytes: [UInt8]
    let id: Int32
}

/// The WordPiece vocabulary of `vocab.txt`: token ids by UTF-8 bytes, for word starts and for
/// `##` continuations, plus the special tokens.
final class Vocabulary: Sendable {
    /// Every token, spelled as in the vocabulary: the candidates for the start of a word.
    let wordStarts: ByteKeyedTable
    /// Tokens beginning with `##`, without that prefix: the candidates for the rest of a word.
    let continuations: ByteKeyedTable
    let unknownID: Int32
    let classifierID: Int32
    let separatorID: Int32
    let specialTokens: [SpecialToken]
    /// How a cache key (`WordPieceTokenizer.normalize`) writes a word that WordPiece cannot spell.
    var unknownSpelling: [UInt8] { specialTokens.first { $0.id == unknownID }?.bytes ?? Array("[UNK]".utf8) }

    /// Standard BERT ids, used only when an in-memory vocabulary lacks the token.
    private static let fallbackIDs: [String: Int32] = ["[UNK]": 100, "[CLS]": 101, "[SEP]": 102]
    static let requiredSpecials = ["[UNK]", "[CLS]", "[SEP]"]

    /// Builds the tables; the id of a token is its index, and a repeated token keeps its last index.
    init(tokens: [String]) {
        var starts: [(key: Substring.UTF8View, id: Int32)] = []
        var rest: [(key: Substring.UTF8View, id: Int32)] = []
        var ids: [String: Int32] = [:]
        starts.reserveCapacity(tokens.count)
        for (index, token) in tokens.enumerated() {
            let id = Int32(truncatingIfNeeded: index)
            starts.append((Substring(token).utf8, id))
            // Bytes, not Characters: "##" + a combining mark is a single Character.
            let utf8 = Substring(token).utf8
            if utf8.starts(with: "##".utf8) { rest.append((utf8.dropFirst(2), id)) }
            if token.utf8.first == UInt8(ascii: "[") { ids[token] = id }
        }
        wordStarts = ByteKeyedTable(starts)
        continuations = ByteKeyedTable(rest)
        func id(_ token: String) -> Int32? { ids[token] ?? Self.fallbackIDs[token] }
        unknownID = id("[UNK]") ?? 100
        classifierID = id("[CLS]") ?? 101
        separatorID = id("[SEP]") ?? 102
        specialTokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"].compactMap { token in
            id(token).map { SpecialToken(text: token, bytes: Array(token.utf8), id: $0) }
        }
    }

    /// Reads the tokens of a `vocab.txt`, one per line (`\n`, `\r\n` or `\r`), as transformers does.
    static func tokens(contentsOf url: URL) throws -> [String] {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw TokenizerError.unreadableVocabulary(path: url.path, reason: "no such file")
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw TokenizerError.unreadableVocabulary(path: url.path, reason: error.localizedDescription)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw TokenizerError.invalidVocabulary(path: url.path, reason: "not valid UTF-8")
        }
        var tokens: [String] = []
        var line = Substring(text)
        while !line.isEmpty {
            // "\r\n" is a single Character, so this splits on all three line endings at once.
            let end = line.firstIndex(where: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) ?? line.endIndex
            tokens.append(String(line[..<end]))
            line = end == line.endIndex ? line[end...] : line[line.index(after: end)...]
        }
        guard !tokens.isEmpty else {
            throw TokenizerError.invalidVocabulary(path: url.path, reason: "the file is empty")
        }
        let present = Set(tokens)
        let missing = requiredSpecials.filter { !present.contains($0) }
        guard missing.isEmpty else {
            throw TokenizerError.invalidVocabulary(
                path: url.path, reason: "missing special tokens \(missing.joined(separator: ", "))")
        }
        return tokens
    }
}
