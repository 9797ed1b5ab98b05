/// What kind of text a query is, as the two heads decide together.
public enum QueryKind: String, Sendable, Codable, CaseIterable {
    /// Keyword-style search input ("cheap flights paris").
    case keyword
    /// A natural-language question.
    case question
    /// Natural language that is not a question.
    case statement
}

/// Both heads' probabilities for one query, and the kind they imply.
///
/// Why: callers store the probabilities (to re-threshold later) and usually act on the kind; deriving the kind in
/// one place keeps the rule identical everywhere.
public struct QueryPrediction: Sendable, Equatable {
    /// Keyword head (`classifier1`): softmax probability of label 0, keyword.
    public var pKeyword: Float
    /// Question head (`classifier2`): softmax probability of label 1, question.
    public var pQuestion: Float
    /// `keyword` if `pKeyword >= 0.5`, else `question` if `pQuestion >= 0.5`, else `statement`.
    public var kind: QueryKind

    /// Builds a prediction, deriving `kind` by the rule above.
    public init(pKeyword: Float, pQuestion: Float) {
        self.pKeyword = pKeyword
        self.pQuestion = pQuestion
        kind = pKeyword >= 0.5 ? .keyword : (pQuestion >= 0.5 ? .question : .statement)
    }
}
