import Foundation
import QueryKindTestSupport
import XCTest

/// `serve --db --watch` when its SQLite file is deleted or replaced under it: `/readyz` says so (SQLite would go on
/// with the file it opened, silently), and the server keeps answering instead of exiting on 500s that carry SQL.
final class ServeDatabaseFileTests: XCTestCase {
    func testADeletedFileMakesReadyzSayNotReady() throws {
        let (folder, server) = try servingALabeledTable()
        try FileManager.default.removeItem(atPath: folder.db)
        let reply = try readyzOnceNotReady(server)
        XCTAssertTrue(reply.object["error"].map { "\($0)" }?.contains("deleted") == true, "\(reply.object)")
        XCTAssertEqual(try server.get("/healthz").status, 200)
        XCTAssertEqual(try server.terminate().status, 0)
    }

    func testAReplacedFileMakesReadyzSayNotReadyAndServeKeepsAnswering() throws {
        let (folder, server) = try servingALabeledTable()
        let other = try CLIFolder()
        try other.createQueries(["a table that is not the one serve opened"])
        try FileManager.default.removeItem(atPath: folder.db)
        try FileManager.default.copyItem(atPath: other.db, toPath: folder.db)
        try folder.insert(["a row only the new file has"])

        let reply = try readyzOnceNotReady(server)
        XCTAssertTrue(reply.object["error"].map { "\($0)" }?.contains("replaced") == true, "\(reply.object)")
        Thread.sleep(forTimeInterval: 1)  // several --interval 0.1 polls of the watch loop on the new file
        XCTAssertTrue(server.child.process.isRunning, "serve exited: \(server.child.stderr)")
        XCTAssertEqual(try server.get("/healthz").status, 200)
        for text in ["a text nobody asked for before", "where is berlin?"] {
            let answer = try server.classify(text)
            XCTAssertTrue([200, 503].contains(answer.status), "\(answer.status): \(answer.object)")
            XCTAssertFalse(String(decoding: answer.body, as: UTF8.self).contains("SQL"), "\(answer.object)")
        }
        let output = try server.terminate()
        XCTAssertEqual(output.status, 0, output.stderr)
    }

    /// A server watching a labeled table, ready.
    private func servingALabeledTable() throws -> (CLIFolder, ServeProcess) {
        let folder = try CLIFolder()
        try folder.createQueries(["where is berlin?", "cheap flights paris"])
        let server = try ServeProcess(["--model", CommandRunner.tinyModel, "--db", folder.db, "--watch",
                                       "--interval", "0.1"], in: folder.url)
        try waitUntil(within: 60) { try folder.count("SELECT count(*) FROM query_labels") == 2 }
        XCTAssertEqual(try server.get("/readyz").status, 200)
        return (folder, server)
    }

    /// `/readyz` once it answers 503 (within a deadline).
    private func readyzOnceNotReady(_ server: ServeProcess) throws -> HTTPReply {
        var reply = try server.get("/readyz")
        let deadline = Date().addingTimeInterval(30)
        while reply.status == 200 && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
            reply = try server.get("/readyz")
        }
        XCTAssertEqual(reply.status, 503, "\(reply.object)")
        return reply
    }
}
