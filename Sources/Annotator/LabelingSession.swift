import BertClassifier
import Foundation
import LabelStore

/// A database and a model, checked and ready for labeling.
///
/// `open` checks the database (source table and columns, schema version, name clashes), then loads the model, and
/// only then migrates and creates the `<table>_labeled` view: `LabelDatabase.setUp`'s order, in which a setup
/// error writes nothing.
public struct LabelingSession {
    public let store: any LabelDatabase
    public let classifier: QueryClassifier
    public let source: SourceTable

    /// Checks `store` for `source`, loads the model, then prepares the database; `store` was opened without writing.
    public static func open(store: any LabelDatabase, source: SourceTable,
                            loadClassifier: () throws -> QueryClassifier) throws -> LabelingSession {
        LabelingSession(store: store, classifier: try store.setUp(for: source, loading: loadClassifier),
                        source: source)
    }
}
