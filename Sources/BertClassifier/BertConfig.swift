import Foundation

/// The shape of a BERT encoder, read from a HuggingFace `config.json`.
///
/// Why: every weight shape and the tokenizer's maximum length follow from these numbers, so they are checked
/// once here and the loader can then name any tensor that disagrees.
public struct BertConfig: Sendable, Equatable {
    /// `vocab_size`: rows of the word embedding table; token ids must be below it.
    public var vocabularySize: Int
    /// `hidden_size`: width of every token vector.
    public var hiddenSize: Int
    /// `num_hidden_layers`: encoder layers (at least one).
    public var layerCount: Int
    /// `num_attention_heads`: must divide `hiddenSize`.
    public var headCount: Int
    /// `intermediate_size`: width of the feed-forward block.
    public var intermediateSize: Int
    /// `max_position_embeddings`: longest sequence, `[CLS]` and `[SEP]` included; the tokenizer truncates to it.
    public var maxPositions: Int
    /// `type_vocab_size`: rows of the token-type table (only type 0 is used).
    public var tokenTypeCount: Int
    /// `layer_norm_eps`.
    public var layerNormEpsilon: Float

    /// Width of one attention head.
    public var headSize: Int { hiddenSize / headCount }

    /// Builds a configuration directly (tests, synthetic models).
    public init(vocabularySize: Int, hiddenSize: Int, layerCount: Int, headCount: Int, intermediateSize: Int,
                maxPositions: Int, tokenTypeCount: Int = 2, layerNormEpsilon: Float = 1e-12) {
        self.vocabularySize = vocabularySize
        self.hiddenSize = hiddenSize
        self.layerCount = layerCount
        self.headCount = headCount
        self.intermediateSize = intermediateSize
        self.maxPositions = maxPositions
        self.tokenTypeCount = tokenTypeCount
        self.layerNormEpsilon = layerNormEpsilon
    }

    /// Reads and validates `config.json`; only `hidden_act: "gelu"` (the exact erf form) is supported.
    public init(contentsOf url: URL) throws {
        let file = url.path
        guard FileManager.default.fileExists(atPath: file) else { throw ModelLoadError.missingFile(path: file) }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ModelLoadError.unreadableFile(path: file, reason: error.localizedDescription)
        }
        guard let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ModelLoadError.invalidConfig(file: file, reason: "not a JSON object")
        }
        func integer(_ key: String, default fallback: Int? = nil) throws -> Int {
            if let number = json[key] as? NSNumber, let value = Int(exactly: number.doubleValue), value > 0 {
                return value
            }
            if json[key] == nil, let fallback { return fallback }
            throw ModelLoadError.invalidConfig(file: file, reason: "'\(key)' must be a positive integer")
        }
        let activation = json["hidden_act"] as? String ?? "gelu"
        guard activation == "gelu" else {
            throw ModelLoadError.invalidConfig(file: file, reason: "hidden_act '\(activation)' is not supported (only 'gelu')")
        }
        let epsilon = (json["layer_norm_eps"] as? NSNumber)?.floatValue ?? 1e-12
        guard epsilon > 0 else {
            throw ModelLoadError.invalidConfig(file: file, reason: "'layer_norm_eps' must be positive")
        }
        self.init(vocabularySize: try integer("vocab_size"), hiddenSize: try integer("hidden_size"),
                  layerCount: try integer("num_hidden_layers"), headCount: try integer("num_attention_heads"),
                  intermediateSize: try integer("intermediate_size"),
                  maxPositions: try integer("max_position_embeddings"),
                  tokenTypeCount: try integer("type_vocab_size", default: 2), layerNormEpsilon: epsilon)
        guard hiddenSize % headCount == 0 else {
            throw ModelLoadError.invalidConfig(
                file: file, reason: "hidden_size \(hiddenSize) is not a multiple of num_attention_heads \(headCount)")
        }
    }
}
