import Annotator
import BertClassifier
import LabelStore

/// A loaded model and the labels it has given in this process: answers values the way `label`, `lookup`, `classify`
/// and `serve` do (`LabelTriage`: the same triage, cache key, de-duplication and counting), looking in memory first,
/// then in the host database's `label_cache`, and running the model only for keys found in neither.
final class LabelingModel: @unchecked Sendable {
    let classifier: QueryClassifier
    /// Labels held in memory: a repeat of an analyst's query is answered from here, without SQLite or the model.
    /// Bounded, since the functions run inside someone else's process (a shell, a notebook, datasette).
    private let memory = MemoryCache(capacity: 1_000_000)


    init(_ classifier: QueryClassifier) {
        self.classifier = classifier
    }

    /// The id `classify` prints and `label_cache` is keyed by.
    var modelID: String { classifier.modelID }

    /// One value's label or why it has none (the scalar functions, row by row): a key seen before costs its
    /// normalization and one dictionary lookup.
    func label(_ value: SourceValue, in host: HostDatabase, writingCache: Bool) throws
        -> Result<StoredLabel, UnlabelableRow> {
        let key = RowText.cacheKey(value, classifier: classifier)
        if case .success(let key) = key, let known = memory[key] { return .success(known) }
        return try label([value], in: host, writingCache: writingCache).items[0].map(\.label)
    }

    /// The outcomes of `values` in order (`querykind_classify`): each distinct key looked up once, the misses run
    /// through the model together, in batches spread over every worker thread. With `writingCache`, the new labels
    /// go to `label_cache` too.
    func label(_ values: [SourceValue], in host: HostDatabase, writingCache: Bool) throws -> LabelOutcomes {
        var triage = LabelTriage(values, classifier: classifier)
        triage.take(memory.labels(for: triage.misses))
        let stored = try host.cachedLabels(model: modelID, keys: triage.misses)
        memory.store(stored.map { ($0.key, $0.value) })
        triage.take(stored)
        let misses = triage.misses
        let predicted = Array(zip(misses, classifier.predict(misses).map(StoredLabel.init)))
        memory.store(predicted)
        triage.take(Dictionary(predicted) { first, _ in first })
        if writingCache { try host.insert(model: modelID, predicted) }
        return triage.outcomes(computed: Set(misses))
    }
}
