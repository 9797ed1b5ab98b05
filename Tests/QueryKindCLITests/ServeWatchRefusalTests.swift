import Foundation
import XCTest

/// `serve --watch` under the one-labeler rule: refused as `watch` is, before it listens.
final class ServeWatchRefusalTests: XCTestCase {
    /// While another live run holds the table, `serve --watch` exits with `watch`'s status and its one line naming
    /// the run, without binding or logging "listening" first, and records no run.
    func testARefusedWatchEndsServeBeforeItListens() throws {
        let folder = try CLIFolder()
        try folder.createQueries(cliQueries(3))
        let model = ["--model", CommandRunner.tinyModel]
        XCTAssertEqual(try CommandRunner.run(["label", "--db", folder.db] + model, in: folder.url).status, 0)
        let live = try folder.insertRunningRun(pid: getpid())
        let watch = try CommandRunner.run(["watch", "--db", folder.db] + model, in: folder.url)
        XCTAssertEqual(watch.status, 1, watch.stderr)

        let serve = try CommandRunner.launch(["serve", "--port", "0", "--db", folder.db, "--watch"] + model,
                                             in: folder.url).wait(timeout: 60)
        XCTAssertEqual(serve.status, watch.status, serve.stderr)
        XCTAssertFalse(serve.stderr.contains("listening"), serve.stderr)
        let lines = serve.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, serve.stderr)
        XCTAssertTrue(serve.stderr.contains("run \(live)"), serve.stderr)
        XCTAssertEqual(try folder.count("SELECT count(*) FROM label_runs"), 2, "no run recorded for a refusal")
    }
}
