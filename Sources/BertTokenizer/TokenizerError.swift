/// Why a tokenizer could not be built from a model directory.
///
/// It exists so that a bad or incomplete model directory fails with a message that names the file
/// at fault, instead of silently tokenizing everything to `[UNK]`.
public enum TokenizerError: Error, CustomStringConvertible, Equatable {
    /// The vocabulary file is missing or could not be read.
    case unreadableVocabulary(path: String, reason: String)
    /// The vocabulary file was read but cannot be used (not UTF-8, empty, special tokens missing).
    case invalidVocabulary(path: String, reason: String)
    /// `tokenizer_config.json` exists but is not a JSON object with the expected field types.
    case invalidConfiguration(path: String, reason: String)

    public var description: String {
        switch self {
        case let .unreadableVocabulary(path, reason):
            return "cannot read vocabulary \(path): \(reason)"
        case let .invalidVocabulary(path, reason):
            return "invalid vocabulary \(path): \(reason)"
        case let .invalidConfiguration(path, reason):
            return "invalid tokenizer configuration \(path): \(reason)"
        }
    }
}
