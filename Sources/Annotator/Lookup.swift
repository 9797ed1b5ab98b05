import BertClassifier
import LabelStore

/// Labels for texts on demand (`querykind lookup`): the cache first, the model on a miss, and the miss
/// cached for next time, so other tools get the same label a `label` run would write.
public struct Lookup {
    private let labeler: BatchLabeler

    /// With a `store`, reads and fills its cache; without, runs the model for every distinct text, in model calls
    /// of up to `inferenceBatch` texts.
    public init(classifier: QueryClassifier, store: (any LabelDatabase)?,
                inferenceBatch: Int = QueryClassifier.defaultInferenceBatch) {
        labeler = BatchLabeler(store: store, classifier: classifier, inferenceBatchSize: inferenceBatch)
    }

    /// Uses the cache of `store` (opened without writing; nil: no cache) and loads the model, in the order that
    /// writes nothing when either is wrong (`LabelDatabase.setUp`): the schema is checked first, the model loaded,
    /// and only then are querykind's tables created or upgraded.
    public static func open(store: (any LabelDatabase)?, inferenceBatch: Int = QueryClassifier.defaultInferenceBatch,
                            loadClassifier: () throws -> QueryClassifier) throws -> Lookup {
        let classifier = try store?.setUp(for: nil, loading: loadClassifier) ?? loadClassifier()
        return Lookup(classifier: classifier, store: store, inferenceBatch: inferenceBatch)
    }

    /// The model whose labels this lookup gives.
    public var modelID: String { labeler.classifier.modelID }

    /// Answers `texts` in order, recording new cache entries and hits in one transaction.
    public func callAsFunction(_ texts: [String]) throws -> [PredictionRecord] {
        try label(texts.map { .text($0) })
    }

    /// Answers raw values in order (a value that cannot be labeled gets the reason the database would store),
    /// recording new cache entries and hits in one transaction. `cached` is nil without a store. With a store, a
    /// text whose key a person reviewed gets the reviewed kind, marked `reviewed`.
    public func label(_ values: [SourceValue]) throws -> [PredictionRecord] {
        var resolution = try labeler.resolve(values)
        if let store = labeler.store {
            try store.recordCache(resolution.cache)
            resolution.outcomes.applyReviews(try store.currentReviews(keys: resolution.outcomes.labeledKeys)
                .mapValues(\.kind))
        }
        return resolution.outcomes.records(texts: values.map(RowText.display),
                                           cached: labeler.store == nil ? .absent : .labeledOnly)
    }
}
