import Annotator
import BertClassifier
import Foundation
import LabelStore
import SQLiteStore
import QueryKindTestSupport
import XCTest

/// The tiny random-init checkpoints the engine's tests generate (full BERT vocabulary, 64 positions).
enum TinyModel {
    static let fixtures = Repository.modelFixtures

    /// Loaded once: the classifier is thread-safe and loading costs a little.
    static let fp32: QueryClassifier = try! QueryClassifier(
        modelDirectory: fixtures.appendingPathComponent("tiny-safetensors"))
    /// The same weights stored in fp16: a different model id.
    static let fp16: QueryClassifier = try! QueryClassifier(
        modelDirectory: fixtures.appendingPathComponent("tiny-fp16"))
}

/// A temporary SQLite file with a `queries(id, text)` table whose `text` column has no type, so numbers and blobs
/// stay as the application stored them.
final class QueryDatabase: ScratchDatabase {
    init() throws {
        try super.init()
        try createQueries([], columns: "id INTEGER PRIMARY KEY, text")
    }

    func session(_ classifier: QueryClassifier = TinyModel.fp32) throws -> LabelingSession {
        try LabelingSession.open(store: SQLiteLabelStore(path: path, access: .readWrite), source: SourceTable()) { classifier }
    }

    /// `query_labels` as (query_id, kind, error, model) rows in id order.
    func labels() throws -> [(id: Int64, kind: String?, error: String?, model: String)] {
        try Connection(path: path, mode: .readOnly).query(
            "SELECT query_id, kind, error, model FROM query_labels ORDER BY query_id") {
            ($0.int64(0), $0.optionalString(1), $0.optionalString(2), $0.string(3))
        }
    }
}

/// Some varied queries, with repeats and case/spacing variants that share a cache key.
func sampleQueries(_ count: Int) -> [String] {
    let stems = ["how do magnets work", "cheap flights to lisbon", "The cat sat on the mat.", "weather tomorrow",
                 "why is the sky blue?", "best pizza near me", "I need a new phone", "what time is it",
                 "python list comprehension", "Tell me about Rome"]
    return (0..<count).map { index in
        let stem = stems[index % stems.count]
        switch index % 3 {
        case 0: return stem
        case 1: return stem.uppercased()
        default: return "\(stem) \(index / 7)"
        }
    }
}
