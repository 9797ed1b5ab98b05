import BertClassifier
import Foundation
import LabelStore

/// A database and a model, checked and ready for labeling.
///
/// `open` runs the checks in the order that guarantees a setup error writes nothing (for SQLite not even the
/// switch to WAL): the database's own checks (source table and columns, schema version, name clashes), then the
/// model; only then does it migrate and create the `<table>_labeled` view.
public struct LabelingSession {
    public let store: any LabelDatabase
    public let classifier: QueryClassifier
    public let source: SourceTable

    /// Checks `store` for `source`, loads the model, then prepares the database; `store` was opened without writing.
    public static func open(store: any LabelDatabase, source: SourceTable,
                            loadClassifier: () throws -> QueryClassifier) throws -> LabelingSession {
        try store.checkSetup(for: source)
        let classifier = try loadClassifier()
        try store.prepare(for: source)
        return LabelingSession(store: store, classifier: classifier, source: source)
    }
}
