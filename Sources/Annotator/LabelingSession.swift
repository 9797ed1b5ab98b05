import BertClassifier
import Foundation
import LabelStore

/// A database and a model, checked and ready for labeling.
///
/// `open` runs the checks in the order that guarantees a setup error writes nothing, not even the switch to
/// WAL: the database file (exists, writable, a SQLite database), the source table and columns, the schema
/// version and name clashes, then the model; only then does it migrate (switching to WAL, recreating dropped
/// tables) and create the `<table>_labeled` view.
public struct LabelingSession {
    public let store: LabelStore
    public let classifier: QueryClassifier
    public let source: SourceTable

    public static func open(
        databasePath: String, source: SourceTable, busyTimeout: Duration = .seconds(5),
        loadClassifier: () throws -> QueryClassifier
    ) throws -> LabelingSession {
        let store = try LabelStore(path: databasePath, access: .readWrite, busyTimeout: busyTimeout)
        try store.validate(source)
        try store.checkSchemaIsKnown()
        try store.checkLabelsBelong(to: source)
        let classifier = try loadClassifier()
        try store.migrate()
        try store.createView(for: source)
        return LabelingSession(store: store, classifier: classifier, source: source)
    }
}
