import BertClassifier
import LabelStore

/// Decides whether a source row's raw value can be labeled, and if not, the reason written to
/// `query_labels.error`. Every row ends up labeled or with a reason: none is skipped or retried forever.
///
/// Numbers are labeled as their decimal text (SQLite's own `CAST(x AS TEXT)` form): a log of search
/// queries can hold "2024" or "404" in a column without TEXT affinity, and those are real queries.
/// Control characters are left to the tokenizer (which drops them); over-long texts are truncated by it.
public enum RowText {
    /// The text to label, or the reason the row cannot be labeled.
    public static func of(_ value: SourceValue) -> Result<String, UnlabelableRow> {
        switch value {
        case .null: return .failure(.null)
        case .blob: return .failure(.blob)
        case .invalidUTF8: return .failure(.invalidUTF8)
        case .abandoned: return .failure(.abandoned)
        case .number(let text): return .success(text)
        case .text(let text):
            return text.allSatisfy(\.isWhitespace) ? .failure(.empty) : .success(text)
        }
    }

    /// The value's cache key (the model's normalized text, see `WordPieceTokenizer.normalize`), or why it cannot be
    /// labeled: the one keying of `label`, `lookup` and `serve`, so each finds what the others cached. A text whose
    /// every word the model reads as `[UNK]` has no key: its label would be a guess about `[UNK]` (v3 called every
    /// emoji-only text a keyword query, at 0.99), and all such texts would share the key "[UNK]".
    public static func cacheKey(_ value: SourceValue, classifier: QueryClassifier) -> Result<String, UnlabelableRow> {
        of(value).flatMap { text in
            let key = classifier.tokenizer.normalize(text)
            if key.isEmpty { return .failure(.noTokens) }
            return classifier.tokenizer.unknownShare(ofKey: key) == 1 ? .failure(.unknownTokensOnly) : .success(key)
        }
    }

    /// The value as text for a person or a JSON record: invalid UTF-8 with U+FFFD in place of bad bytes.
    public static func display(_ value: SourceValue) -> String {
        switch value {
        case .text(let text), .number(let text): text
        case .invalidUTF8(let bytes): String(decoding: bytes, as: UTF8.self)
        case .null: ""
        case .blob(let count): "<\(count)-byte BLOB>"
        case .abandoned(let attempts): "<abandoned after \(attempts) claims>"
        }
    }
}

/// Why a row gets `kind` NULL; the raw value is the `error` text a person reads in `query_labels`.
public enum UnlabelableRow: String, Error, Sendable, CaseIterable {
    case null = "text is NULL"
    case empty = "text is empty"
    case blob = "value is a BLOB, not text"
    case invalidUTF8 = "text is not valid UTF-8"
    /// Nothing left once the tokenizer drops control and format characters.
    case noTokens = "text has no tokens"
    /// Every word is one the model's vocabulary cannot spell (`[UNK]`): emoji only, a script it was not trained on.
    case unknownTokensOnly = "text has no tokens the model knows"
    /// Claimed by workers that each stopped before writing it, `PostgresLabelStore.maximumAttempts` times.
    case abandoned = "abandoned: every worker that claimed this row stopped before writing it"
}
