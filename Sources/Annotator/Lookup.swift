import BertClassifier
import LabelStore

/// Labels for texts on demand (`querykind lookup`): the cache first, the model on a miss, and the miss
/// cached for next time, so other tools get the same label a `label` run would write.
public struct Lookup {
    /// One text's answer.
    public struct Result: Sendable, Codable, Equatable {
        public var text: String
        public var label: StoredLabel?
        /// Why there is no label (e.g. "text is empty").
        public var error: String?
        /// True when the label came from the cache rather than a fresh inference.
        public var cached: Bool
    }

    private let labeler: BatchLabeler

    /// With a `store`, reads and fills its cache; without, runs the model for every distinct text.
    public init(classifier: QueryClassifier, store: LabelStore?) {
        labeler = BatchLabeler(store: store, classifier: classifier, inferenceBatchSize: 32)
    }

    /// Answers `texts` in order, recording new cache entries and hits in one transaction.
    public func callAsFunction(_ texts: [String]) throws -> [Result] {
        let resolution = try labeler.resolve(texts.map { .text($0) })
        try labeler.store?.recordCache(resolution.cache)
        return zip(texts, resolution.items).map { text, item in
            switch item {
            case .success(let resolved):
                Result(text: text, label: resolved.label, error: nil, cached: resolved.fromCache)
            case .failure(let problem):
                Result(text: text, label: nil, error: problem.rawValue, cached: false)
            }
        }
    }
}
