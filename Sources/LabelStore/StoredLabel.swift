/// A label as querykind stores it: the kind plus both heads' confidences. Kept free of the model's
/// types so the store does not depend on the classifier.
public struct StoredLabel: Sendable, Equatable, Codable {
    /// `keyword`, `question` or `statement`.
    public var kind: String
    /// Keyword head: P(keyword query).
    public var pKeyword: Double
    /// Question head: P(question).
    public var pQuestion: Double

    public init(kind: String, pKeyword: Double, pQuestion: Double) {
        self.kind = kind
        self.pKeyword = pKeyword
        self.pQuestion = pQuestion
    }

    enum CodingKeys: String, CodingKey {
        case kind
        case pKeyword = "p_keyword"
        case pQuestion = "p_question"
    }
}

/// What happened to one source row: a label, or why it could not be labeled.
public enum LabelOutcome: Sendable, Equatable {
    case labeled(StoredLabel)
    case failed(reason: String)
}
