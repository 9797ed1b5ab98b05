import BertClassifier
import LabelStore

/// Values on their way to labels: each value's cache key or why it cannot be labeled, and its distinct keys, split
/// into those with a label found so far and the misses still to find.
///
/// Why one type: `label`, `lookup`, `serve` and the SQLite extension look for labels in different places (the
/// database's cache, a process's memory, an earlier batch of the same pass, the model) but must key, de-duplicate
/// and count the same way, so each finds what the others cached and their counters mean the same; each place only
/// hands its finds to `take`.
public struct LabelTriage {
    /// Each value's cache key, or why it cannot be labeled, in input order.
    public let keys: [Result<String, UnlabelableRow>]
    /// Labels found so far, by key.
    public private(set) var labels: [String: StoredLabel] = [:]
    /// Distinct keys still without a label, in first-seen order: what is left to look up, or to run the model on.
    public private(set) var misses: [String]
    /// The share of `[UNK]` words of each distinct key that has any (`WordPieceTokenizer.unknownShare`).
    public let unknownShares: [String: Double]

    /// Keys `values` (`RowText.cacheKey`); every distinct key starts as a miss.
    public init(_ values: [SourceValue], classifier: QueryClassifier) {
        // A log repeats itself: key each distinct value once.
        var keyOfValue: [SourceValue: Result<String, UnlabelableRow>] = [:]
        keys = values.map { value in
            if let known = keyOfValue[value] { return known }
            let key = RowText.cacheKey(value, classifier: classifier)
            keyOfValue[value] = key
            return key
        }
        var distinct: [String] = []
        var seen: Set<String> = []
        for case .success(let key) in keys where seen.insert(key).inserted { distinct.append(key) }
        misses = distinct
        var shares: [String: Double] = [:]
        for key in distinct {
            let share = classifier.tokenizer.unknownShare(ofKey: key)
            if share > 0 { shares[key] = share }
        }
        unknownShares = shares
    }

    /// Takes the labels `found` for misses (keys that are not misses are ignored); those keys are misses no longer.
    public mutating func take(_ found: [String: StoredLabel]) {
        guard !found.isEmpty else { return }
        misses.removeAll { key in
            guard let label = found[key] else { return false }
            labels[key] = label
            return true
        }
    }

    /// Every value's outcome once no miss is left; `computed` holds the keys the model has just run for (the rest
    /// count as cache hits, `LabelOutcomes`).
    public func outcomes(computed: Set<String>) -> LabelOutcomes {
        precondition(misses.isEmpty, "every key needs a label before its outcomes")
        return LabelOutcomes(keys: keys, labels: labels, computed: computed, unknownShares: unknownShares)
    }
}
