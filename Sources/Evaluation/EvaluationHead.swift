import BertClassifier

/// Which of the model's two heads an evaluation file scores, and the label names its files use.
public enum EvaluationHead: String, CaseIterable, Sendable {
    /// Head 1: keyword-style query (`keyword`) vs natural language (`natural`).
    case keyword
    /// Head 2: question (`question`) vs statement (`statement`).
    case question

    /// The two label names, in the order used for confusion matrices: the head's label 0 first.
    public var labels: [String] {
        switch self {
        case .keyword: return ["keyword", "natural"]
        case .question: return ["statement", "question"]
        }
    }

    /// The label this head predicts, and the head's confidence in that label.
    func predictedLabel(_ prediction: QueryPrediction) -> (label: String, confidence: Float) {
        switch self {
        case .keyword:
            let p = prediction.pKeyword
            return p >= 0.5 ? ("keyword", p) : ("natural", 1 - p)
        case .question:
            let p = prediction.pQuestion
            return p >= 0.5 ? ("question", p) : ("statement", 1 - p)
        }
    }
}
