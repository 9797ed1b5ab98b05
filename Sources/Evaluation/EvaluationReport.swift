import BertClassifier

/// The scores of one head on one labeled set: what `querykind eval` prints.
public struct EvaluationReport: Sendable {
    /// A wrong prediction, with the confidence the head had in its wrong label.
    public struct Mistake: Sendable {
        public var text: String
        public var expected: String
        public var predicted: String
        public var confidence: Float
        public var source: String?
    }

    public var head: EvaluationHead
    public var count: Int
    public var correct: Int
    /// `confusion[gold][predicted]`, both indexed like `head.labels`.
    public var confusion: [[Int]]
    /// Wrong predictions, most confident first (at most `mistakeLimit` of them).
    public var mistakes: [Mistake]
    /// (examples, correct) per source column value, for files that name their sources.
    public var bySource: [String: (count: Int, correct: Int)]

    public var accuracy: Double { count == 0 ? 0 : Double(correct) / Double(count) }

    /// Of the texts predicted as `label`, the share that really are.
    public func precision(_ label: Int) -> Double {
        let predicted = confusion.reduce(0) { $0 + $1[label] }
        return predicted == 0 ? 0 : Double(confusion[label][label]) / Double(predicted)
    }

    /// Of the texts that really are `label`, the share predicted as such.
    public func recall(_ label: Int) -> Double {
        let gold = confusion[label].reduce(0, +)
        return gold == 0 ? 0 : Double(confusion[label][label]) / Double(gold)
    }

    /// Scores `predictions` (aligned with `examples`) for `head`; every example's label must be one of
    /// `head.labels`, as `LabeledExample.read` guarantees.
    public init(head: EvaluationHead, examples: [LabeledExample], predictions: [QueryPrediction],
                mistakeLimit: Int = 20) {
        precondition(examples.count == predictions.count, "one prediction per example")
        self.head = head
        count = examples.count
        correct = 0
        confusion = Array(repeating: Array(repeating: 0, count: head.labels.count), count: head.labels.count)
        bySource = [:]
        var allMistakes: [Mistake] = []
        for (example, prediction) in zip(examples, predictions) {
            let (predicted, confidence) = head.predictedLabel(prediction)
            guard let gold = head.labels.firstIndex(of: example.label),
                  let guess = head.labels.firstIndex(of: predicted) else {
                preconditionFailure("label \(example.label) is not one of \(head.labels)")
            }
            confusion[gold][guess] += 1
            let right = gold == guess
            if right { correct += 1 } else {
                allMistakes.append(Mistake(text: example.text, expected: example.label, predicted: predicted,
                                           confidence: confidence, source: example.source))
            }
            if let source = example.source {
                let tally = bySource[source] ?? (0, 0)
                bySource[source] = (tally.count + 1, tally.correct + (right ? 1 : 0))
            }
        }
        mistakes = Array(allMistakes.sorted { $0.confidence > $1.confidence }.prefix(mistakeLimit))
    }
}

extension QueryClassifier {
    /// Scores this model's `head` on `examples`, optionally after stripping their surface cues.
    public func evaluate(_ examples: [LabeledExample], head: EvaluationHead, stripped: Bool = false,
                         batchSize: Int = 64) -> EvaluationReport {
        let scored = stripped
            ? examples.map { LabeledExample(text: strippedOfSurfaceCues($0.text), label: $0.label, source: $0.source) }
            : examples
        let predictions = predict(scored.map(\.text), batchSize: batchSize)
        return EvaluationReport(head: head, examples: scored, predictions: predictions)
    }
}
