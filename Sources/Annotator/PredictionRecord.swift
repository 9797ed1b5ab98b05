import BertClassifier
import LabelStore

/// One text's answer, in the one shape every front end prints: `classify --json`, `lookup --json` and the
/// HTTP API all write `{"text", "kind", "p_keyword", "p_question"}` plus `cached` where a cache was consulted and
/// `unknown_token_share` where the model could not read some of the text's words, and `reviewed` (true) where a
/// person's review gave the kind (the probabilities stay the model's);
/// a text that cannot be labeled has `kind`, `p_keyword` and `p_question` null and an `error`.
///
/// Why one type: a script that reads one command's output can read every other's, and the error text is the
/// one the database stores in `query_labels.error`.
public struct PredictionRecord: Sendable, Equatable, Codable {
    /// The text as given.
    public var text: String
    /// The label, or nil when the text cannot be labeled (see `error`).
    public var label: StoredLabel?
    /// Why there is no label (one of `UnlabelableRow`'s reasons), nil when labeled.
    public var error: String?
    /// True when the label came from the cache, false when the model ran; nil where no cache exists.
    public var cached: Bool?
    /// The share of the text's words the model read as `[UNK]` (emoji, scripts outside its vocabulary), nil when it
    /// read every word: a label resting mostly on `[UNK]` says little about the text, and the reader should know.
    public var unknownTokenShare: Double?
    /// True when `label.kind` is a person's review of the text's key rather than the model's answer; nil otherwise.
    public var reviewed: Bool?

    public init(text: String, label: StoredLabel?, error: String? = nil, cached: Bool? = nil,
                unknownTokenShare: Double? = nil, reviewed: Bool? = nil) {
        self.text = text
        self.label = label
        self.error = error
        self.cached = cached
        self.unknownTokenShare = unknownTokenShare
        self.reviewed = reviewed
    }

    /// The record of a model prediction for `text`.
    public init(text: String, prediction: QueryPrediction, cached: Bool? = nil) {
        self.init(text: text, label: StoredLabel(prediction), cached: cached)
    }

    enum CodingKeys: String, CodingKey {
        case text, kind, pKeyword = "p_keyword", pQuestion = "p_question", cached, error
        case unknownTokenShare = "unknown_token_share"
        case reviewed
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        text = try container.decode(String.self, forKey: .text)
        error = try container.decodeIfPresent(String.self, forKey: .error)
        cached = try container.decodeIfPresent(Bool.self, forKey: .cached)
        unknownTokenShare = try container.decodeIfPresent(Double.self, forKey: .unknownTokenShare)
        reviewed = try container.decodeIfPresent(Bool.self, forKey: .reviewed)
        label = try container.decodeIfPresent(String?.self, forKey: .kind).flatMap { $0 }.map { kind in
            StoredLabel(kind: kind, pKeyword: try container.decode(Double.self, forKey: .pKeyword),
                        pQuestion: try container.decode(Double.self, forKey: .pQuestion))
        }
    }

    /// Flat JSON; probabilities as the model's Float values (a cached Double holds a Float exactly), so the
    /// same label prints the same digits whether it came from the model or the cache.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(text, forKey: .text)
        if let label {
            try container.encode(label.kind, forKey: .kind)
            try container.encode(Float(label.pKeyword), forKey: .pKeyword)
            try container.encode(Float(label.pQuestion), forKey: .pQuestion)
        } else {
            for key in [CodingKeys.kind, .pKeyword, .pQuestion] { try container.encodeNil(forKey: key) }
        }
        try container.encodeIfPresent(cached, forKey: .cached)
        try container.encodeIfPresent(unknownTokenShare, forKey: .unknownTokenShare)
        try container.encodeIfPresent(reviewed, forKey: .reviewed)
        try container.encodeIfPresent(error, forKey: .error)
    }
}
