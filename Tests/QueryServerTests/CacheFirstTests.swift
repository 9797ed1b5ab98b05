import Annotator
import Foundation
import HummingbirdTesting
import LabelStore
import QueryKindTestSupport
@testable import QueryServer
import SQLiteStore
import XCTest

/// Where a text's label comes from: memory, then the database's `label_cache`, then the model; and the counters
/// `/metrics` keeps of it.
final class CacheFirstTests: XCTestCase {
    /// A SQLite database set up for the tiny model, as `serve --db` opens it.
    private func database() throws -> (ScratchDatabase, LabelServer.Database) {
        let scratch = try ScratchDatabase()
        _ = try SQLiteLabelStore(path: scratch.path, access: .create).setUp(for: nil) { ServerUnderTest.classifier }
        let path = scratch.path
        return (scratch, .init(description: path) { try SQLiteLabelStore(path: path, access: .readWrite) })
    }

    /// An evicted text comes back from `label_cache`, not the model, and every label reaches the database.
    func testAnEvictedTextComesBackFromTheDatabaseCache() async throws {
        let (scratch, database) = try database()
        let settings = ServerUnderTest.settings { $0.memoryCacheEntries = 2 }
        let model = ServerUnderTest.classifier.modelID
        let path = scratch.path
        let first = try await ServerUnderTest.run(settings, database: database) { client in
            let inferences = try await client.metric("querykind_inference_texts_total")
            let first = try await client.classify(["one"])
            for text in ["two", "three"] { _ = try await client.classify([text]) }
            // The cache writer writes in the background: wait until "one" is in the database.
            let store = try SQLiteLabelStore(path: path, access: .readOnly)
            let deadline = Date().addingTimeInterval(30)
            while try store.cachedLabels(model: model, keys: ["one"]).isEmpty {
                guard Date() < deadline else {
                    XCTFail("the label never reached label_cache")
                    return first
                }
                try await Task.sleep(for: .milliseconds(10))
            }
            let again = try await client.classify(["one"])
            XCTAssertEqual(again.map(\.cached), [true], "from the database's cache")
            XCTAssertEqual(again.map(\.label), first.map(\.label))
            let inferred = try await client.metric("querykind_inference_texts_total") - inferences
            XCTAssertEqual(inferred, 3, "one, two and three, each once")
            return first
        }
        // Closing the server wrote what was pending.
        let store = try SQLiteLabelStore(path: path, access: .readOnly)
        let cached = try store.cachedLabels(model: model, keys: ["one", "two", "three"])
        XCTAssertEqual(cached.keys.sorted(), ["one", "three", "two"])
        // The model's Float probabilities, as the API prints them.
        XCTAssertEqual(cached["one"].map { [$0.kind, "\(Float($0.pKeyword))", "\(Float($0.pQuestion))"] },
                       first[0].label.map { [$0.kind, "\(Float($0.pKeyword))", "\(Float($0.pQuestion))"] })
    }

    /// Each labeled text counts as a hit or a miss (a repeat within a request is a hit, as in `label`); an
    /// unlabelable text counts as neither, and gets its reason.
    func testLookupCountersCountHitsAndMisses() async throws {
        try await ServerUnderTest.run(ServerUnderTest.settings()) { client in
            let hit = #"querykind_cache_lookups_total{result="hit"}"#
            let miss = #"querykind_cache_lookups_total{result="miss"}"#
            let (hits, misses) = (try await client.metric(hit), try await client.metric(miss))
            let inferences = try await client.metric("querykind_inference_texts_total")

            let records = try await client.classify(["counted text", "Counted  TEXT", "   ", "another counted text"])
            XCTAssertEqual(records.map(\.cached), [false, true, false, false])
            XCTAssertEqual(records[2].error, UnlabelableRow.empty.rawValue)
            let again = try await client.classify(["another counted text", "counted text"])
            XCTAssertEqual(again.map(\.cached), [true, true])

            let (hitsAfter, missesAfter) = (try await client.metric(hit), try await client.metric(miss))
            let inferred = try await client.metric("querykind_inference_texts_total") - inferences
            XCTAssertEqual(hitsAfter - hits, 3, "the repeat and the second request's two")
            XCTAssertEqual(missesAfter - misses, 2)
            XCTAssertEqual(inferred, 2)
        }
    }
}
