import BertClassifier
import LabelStore

/// Where people's reviews come in, for every front end (`review` on the command line, `POST /v1/reviews`): a text
/// is keyed exactly as `label`, `lookup` and `serve` key it (`RowText.cacheKey`), so a review reaches every row and
/// query with that key, and is recorded with the model's label the reviewer saw.
///
/// Why a type: the keying, the refusals (empty text, no tokens, unknown kind) and "what the model said" must be
/// the same whether a review comes from a terminal, a TSV file or the browser.
public struct ReviewDesk {
    public let classifier: QueryClassifier
    public let store: any LabelDatabase

    public init(classifier: QueryClassifier, store: any LabelDatabase) {
        self.classifier = classifier
        self.store = store
    }

    /// `text`'s cache key; throws `ReviewError.emptyText` or `.noTokens` for a text no review can key.
    public func key(_ text: String) throws -> String {
        switch RowText.cacheKey(.text(text), classifier: classifier) {
        case .success(let key): return key
        case .failure(.noTokens): throw ReviewError.noTokens
        case .failure: throw ReviewError.emptyText
        }
    }

    /// A review of `text` as `kind` by `reviewer`, checked but not recorded: the model's label of the text (from
    /// the cache, else the model) is what the reviewer saw. Throws `ReviewError` for bad input.
    public func submission(text: String, kind: String, reviewer: String, note: String? = nil) throws
        -> ReviewSubmission {
        guard Review.kinds.contains(kind) else { throw ReviewError.unknownKind(kind) }
        guard !reviewer.allSatisfy(\.isWhitespace) else { throw ReviewError.emptyReviewer }
        let key = try key(text)
        let shown = try store.cachedLabels(model: classifier.modelID, keys: [key])[key]
            ?? StoredLabel(classifier.predict([key], batchSize: 1)[0])
        return ReviewSubmission(key: key, kind: kind, reviewer: reviewer, model: classifier.modelID, shown: shown,
                                note: note)
    }

    /// Records one review and returns it as stored; nothing is written when the input is bad (`ReviewError`).
    public func record(text: String, kind: String, reviewer: String, note: String? = nil) throws -> Review {
        try store.recordReview(submission(text: text, kind: kind, reviewer: reviewer, note: note))
    }

    /// Records every `(text, kind)` by `reviewer` in one transaction, after checking them all: one bad item
    /// (reported with its position, counted from 1) and nothing is written.
    public func recordAll(_ items: [(text: String, kind: String)], reviewer: String) throws -> [Review] {
        let submissions = try items.enumerated().map { index, item in
            do {
                return try submission(text: item.text, kind: item.kind, reviewer: reviewer)
            } catch let error as ReviewError {
                throw ReviewDesk.ItemError(position: index + 1, error: error)
            }
        }
        return try store.inSchemaTransaction { try submissions.map(store.recordReview) }
    }

    /// A bad item of `recordAll`: which one, and why.
    public struct ItemError: Error, CustomStringConvertible, Equatable {
        public var position: Int
        public var error: ReviewError
        public var description: String { "item \(position): \(error)" }
    }
}
