import BertClassifier

/// How far a set-up's predictions are from the reference path's (OpenBLAS, fp32, one worker) on the same texts.
///
/// Why: a faster set-up's speed is never reported without its error. The share of texts whose either head's decision
/// (p ≥ 0.5) changed bounds how much any head's accuracy on these texts can move; all three are exactly 0 when only
/// the number of workers differs.
public struct Deviation: Sendable, Equatable {
    /// The largest difference in either head's probability.
    public var maxProbability: Float
    /// The share of texts whose kind changed.
    public var kindChanged: Double
    /// The share of texts whose keyword decision changed, or whose question decision changed, whichever is larger.
    public var decisionChanged: Double

    /// Compares `predictions` with `reference`, text by text (both in the same order; an empty workload deviates
    /// nowhere).
    public init(_ predictions: [QueryPrediction], from reference: [QueryPrediction]) {
        let pairs = zip(predictions, reference)
        maxProbability = pairs.reduce(0) { worst, pair in
            max(worst, abs(pair.0.pKeyword - pair.1.pKeyword), abs(pair.0.pQuestion - pair.1.pQuestion))
        }
        let count = Double(max(1, min(predictions.count, reference.count)))
        let kinds = pairs.filter { $0.kind != $1.kind }.count
        let keyword = pairs.filter { ($0.pKeyword >= 0.5) != ($1.pKeyword >= 0.5) }.count
        let question = pairs.filter { ($0.pQuestion >= 0.5) != ($1.pQuestion >= 0.5) }.count
        kindChanged = Double(kinds) / count
        decisionChanged = Double(max(keyword, question)) / count
    }
}
