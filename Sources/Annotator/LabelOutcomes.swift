import LabelStore

/// One outcome per input from the labels found for its distinct keys, by the one rule `label`, `lookup` and `serve`
/// share: the first input of a key the model ran for counts as that key's inference; every other input with a
/// label (from the cache, or a repeat of a key just computed) counts as a cache hit; an input without a key keeps
/// the reason it cannot be labeled.
///
/// Why a type: the counts land in `label_runs`, `label_cache.hits` and serve's metrics, and must mean the same
/// everywhere.
public struct LabelOutcomes: Sendable {
    /// An input's label and whether it counts as served from the cache.
    public struct Outcome: Sendable {
        /// The input's cache key.
        public var key: String
        /// The model's label.
        public var label: StoredLabel
        public var fromCache: Bool
        /// The share of the text's words the model read as `[UNK]`, nil when it read every word.
        public var unknownTokenShare: Double?
        /// The kind a person's current review of the key gives (`applyReviews`), nil when none does.
        public var reviewedKind: String?
    }

    /// One per input, in input order.
    public private(set) var items: [Result<Outcome, UnlabelableRow>] = []
    /// Cache hits per key.
    public private(set) var hits: [String: Int] = [:]

    /// `keys` are the inputs' cache keys (or why they have none), `labels` a label for every key among them, and
    /// `computed` the keys the model has just run for; `unknownShares` the `[UNK]` share of the keys that have one.
    public init(keys: [Result<String, UnlabelableRow>], labels: [String: StoredLabel], computed: Set<String>,
                unknownShares: [String: Double] = [:]) {
        var uncounted = computed
        items.reserveCapacity(keys.count)
        for key in keys {
            items.append(key.map { key in
                let fromCache = uncounted.remove(key) == nil
                if fromCache { hits[key, default: 0] += 1 }
                return Outcome(key: key, label: labels[key]!, fromCache: fromCache,
                               unknownTokenShare: unknownShares[key])
            })
        }
    }

    /// Inputs that got a label.
    public var labeledCount: Int { items.count - errorCount }
    /// Inputs that cannot be labeled.
    public var errorCount: Int { items.count { if case .failure = $0 { true } else { false } } }
    /// Labeled inputs counted as cache hits.
    public var hitCount: Int { hits.values.reduce(0, +) }

    /// The labeled inputs' distinct keys, in input order: what a front end looks reviews up for.
    public var labeledKeys: [String] {
        var seen: Set<String> = []
        return items.compactMap { item in
            guard case .success(let outcome) = item, seen.insert(outcome.key).inserted else { return nil }
            return outcome.key
        }
    }

    /// Gives each labeled input whose key is in `reviewedKinds` (key → a person's kind) that kind in its records,
    /// marked `reviewed`: corrections win in `lookup --db` and `serve --db` as they do in the view.
    public mutating func applyReviews(_ reviewedKinds: [String: String]) {
        guard !reviewedKinds.isEmpty else { return }
        items = items.map { item in
            item.map { outcome in
                var outcome = outcome
                outcome.reviewedKind = reviewedKinds[outcome.key]
                return outcome
            }
        }
    }

    /// Where a front end's records carry `cached`.
    public enum CachedField: Sendable {
        /// Nowhere: no cache was consulted (`lookup` without `--db`).
        case absent
        /// On labeled records only: an unlabelable input was never looked up (`lookup --json`).
        case labeledOnly
        /// On every record, false for an unlabelable input (the HTTP API's schema requires the field).
        case everyRecord
    }

    /// The records a front end prints for inputs shown as `texts`.
    public func records(texts: [String], cached field: CachedField) -> [PredictionRecord] {
        zip(texts, items).map { text, item in
            switch item {
            case .success(let outcome):
                PredictionRecord(text: text, label: outcome.reviewedKind.map { kind in
                                     StoredLabel(kind: kind, pKeyword: outcome.label.pKeyword,
                                                 pQuestion: outcome.label.pQuestion)
                                 } ?? outcome.label,
                                 cached: field == .absent ? nil : outcome.fromCache,
                                 unknownTokenShare: outcome.unknownTokenShare,
                                 reviewed: outcome.reviewedKind == nil ? nil : true)
            case .failure(let problem):
                PredictionRecord(text: text, label: nil, error: problem.rawValue,
                                 cached: field == .everyRecord ? false : nil)
            }
        }
    }
}
