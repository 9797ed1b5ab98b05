import Foundation
import LabelStore
import QueryKindTestSupport
import SQLiteStore
import XCTest

/// `serve --db` on a SQLite file while another connection holds its write lock past `--busy-timeout`.
final class ServeDatabaseLockTests: XCTestCase {
    /// Under the lock reads go on (WAL), misses are answered by the model and `/healthz` answers; the writer's
    /// attempts fail, and the entries and hit counts computed meanwhile are written once the lock is released
    /// rather than dropped.
    func testCacheWritesMadeUnderALockAreWrittenOnceItIsReleased() throws {
        let folder = try CLIFolder()
        try folder.createQueries(cliQueries(1))
        let server = try ServeProcess(["--model", CommandRunner.tinyModel, "--db", folder.db, "--busy-timeout", "0.2"],
                                      in: folder.url)
        XCTAssertEqual(try server.classify("known before the lock").status, 200)
        try waitUntil(within: 60) { try folder.count("SELECT count(*) FROM label_cache") == 1 }

        let holder = try Connection(path: folder.db, mode: .readWrite)
        try holder.execute("BEGIN EXCLUSIVE")
        let fresh = ["computed under the lock", "also computed under the lock"]
        for text in fresh {
            let reply = try server.classify(text)
            XCTAssertEqual(reply.status, 200)
            XCTAssertEqual(reply.object["cached"] as? Bool, false)
        }
        XCTAssertEqual(try server.classify("known before the lock").object["cached"] as? Bool, true)
        XCTAssertEqual(try server.get("/healthz").status, 200)
        try waitUntil(within: 60) { server.child.stderr.contains("cache write failed") }
        XCTAssertEqual(try folder.count("SELECT count(*) FROM label_cache"), 1, "nothing written under the lock")

        try holder.execute("ROLLBACK")
        try waitUntil(within: 60) {
            try folder.count("SELECT count(*) FROM label_cache") == 3
                && folder.count("SELECT hits FROM label_cache WHERE normalized_text = 'known before the lock'") == 1
        }
        XCTAssertEqual(try folder.rows("SELECT normalized_text FROM label_cache WHERE hits = 0 ORDER BY 1", columns: 1),
                       fresh.sorted().map { [$0] })
        let output = try server.terminate()
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertTrue(output.stderr.contains("cache writes resumed"), output.stderr)
    }
}
