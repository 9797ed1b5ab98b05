import Foundation
import LabelStore
@testable import SQLiteStore
import XCTest

/// The cache is read and counted a batch at a time; every key must still find exactly its own entry, whatever its
/// characters, and each batch statement must probe the primary key rather than scan the model's entries.
final class LabelCacheTests: MigratedStoreTestCase {

    /// Keys JSON must escape, and keys that differ only in them.
    private let awkwardKeys = ["plain", "quote \" inside", "back \\ slash", "tab\tand\u{1}control", "ünïcödé ✓ 東京",
                               "emoji 🧭", "", "[\"looks like json\"]", "plain "]

    func testBatchedLookupFindsEachKeyExactly() throws {
        var update = LabelStore.CacheUpdate(model: "m@1")
        for (index, key) in awkwardKeys.enumerated() {
            update.newEntries.append((key, StoredLabel(kind: "keyword", pKeyword: Double(index) / 10, pQuestion: 0)))
        }
        try store.recordCache(update)
        let asked = awkwardKeys + ["missing", "PLAIN"]
        let found = try store.cachedLabels(model: "m@1", keys: asked)
        XCTAssertEqual(Set(found.keys), Set(awkwardKeys))
        for (index, key) in awkwardKeys.enumerated() { XCTAssertEqual(found[key]?.pKeyword, Double(index) / 10, key) }
        XCTAssertTrue(try store.cachedLabels(model: "other@1", keys: asked).isEmpty, "entries belong to their model")
    }

    func testLookupsLargerThanOneStatementAndHitCounts() throws {
        let keys = (0..<(SQLiteLabelStore.keysPerLookup + 10)).map { "query number \($0)" }
        var update = LabelStore.CacheUpdate(model: "m@1")
        update.newEntries = keys.map { ($0, StoredLabel(kind: "statement", pKeyword: 0.1, pQuestion: 0.2)) }
        try store.recordCache(update)
        XCTAssertEqual(try store.cachedLabels(model: "m@1", keys: keys).count, keys.count)
        var hits = LabelStore.CacheUpdate(model: "m@1")
        hits.hits = [keys[0]: 3, keys.last!: 1, "quote \" inside": 2]
        try store.recordCache(hits)
        let counted = try store.connection.query("SELECT normalized_text, hits FROM label_cache WHERE hits > 0") {
            ($0.string(0), Int($0.int64(1)))
        }
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: counted), [keys[0]: 3, keys.last!: 1])
    }

    func testBatchStatementsProbeThePrimaryKey() throws {
        for (sql, arguments) in [(SQLiteLabelStore.lookupSQL, [SQLArgument.text("m@1"), .text("[]")]),
                                 (SQLiteLabelStore.hitsSQL, [.text("m@1"), .text("{}"), .text("t")])] {
            let plan = try store.connection.query("EXPLAIN QUERY PLAN " + sql, arguments) {
                $0.string(3)
            }.joined(separator: "\n")
            XCTAssertTrue(plan.contains("PRIMARY KEY (model=? AND normalized_text=?)"), plan)
            XCTAssertFalse(plan.contains("PRIMARY KEY (model=?)\n"), "scans the model's entries:\n\(plan)")
        }
    }

    func testTimestampsHaveTheSchemaDefaultsForm() throws {
        let sqlite = try store.connection.query("SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now')") { $0.string(0) }[0]
        let ours = Timestamp.text()
        XCTAssertEqual(ours.count, sqlite.count)
        XCTAssertEqual(Timestamp.text(Date(timeIntervalSince1970: 1_764_460_800.25)), "2025-11-30T00:00:00.250Z")
        let parser = ISO8601DateFormatter()
        parser.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        XCTAssertLessThan(abs(parser.date(from: ours)!.timeIntervalSince(parser.date(from: sqlite)!)), 5)
    }
}
