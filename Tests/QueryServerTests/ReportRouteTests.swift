import Annotator
import Foundation
import HummingbirdTesting
import LabelStore
@testable import QueryServer
import QueryKindTestSupport
import SQLiteStore
import XCTest

/// `GET /report` in `serve --db`: the page `report --by … --html` writes, over the database the server reads, with
/// `?by=` and `?since=`; a value it cannot read is a 400 in the API's JSON error shape, no database a 404, and with
/// API keys it needs one like every route but the probes.
final class ReportRouteTests: XCTestCase {
    /// A database whose 12 texts were labeled by the watch's job and spread over three days of `labeled_at`.
    private func labeledDatabase() throws -> (ScratchDatabase, LabelServer.Database) {
        let scratch = try ScratchDatabase()
        try scratch.createQueries((0..<12).map { ["how do magnets work \($0)", "cheap flights \($0)",
                                                   "I like pizza \($0)."][$0 % 3] })
        let session = try LabelingSession.open(store: SQLiteLabelStore(path: scratch.path, access: .readWrite),
                                               source: SourceTable()) { ServerUnderTest.classifier }
        _ = try LabelingJob(session: session).labelAll()
        try scratch.execute("UPDATE query_labels SET labeled_at = '2026-11-0' || (query_id % 3 + 1) || 'T10:00:00Z'")
        let path = scratch.path
        return (scratch, .init(description: path) { try SQLiteLabelStore(path: path, access: .readWrite) })
    }

    /// The page the command line writes for `request` over the database at `path`.
    private func commandLinePage(_ request: TrendRequest, path: String) throws -> String {
        let store = try SQLiteLabelStore(path: path, access: .readOnly)
        let report = try store.trends(request)
        return TrendPage.html(report, details: try store.trendDetails(request, report: report))
    }

    func testTheReportIsTheCommandLinesPageWithByAndSince() async throws {
        let (scratch, database) = try labeledDatabase()
        let expected = [
            "/report": try commandLinePage(TrendRequest(by: .day), path: scratch.path),
            "/report?by=week": try commandLinePage(TrendRequest(by: .week), path: scratch.path),
            "/report?by=day&since=2026-11-02": try commandLinePage(
                TrendRequest(by: .day, since: TrendTime.normalized("2026-11-02")), path: scratch.path),
        ]
        XCTAssertEqual(expected["/report"]?.components(separatedBy: "<g class=\"period\"").count, 4, "three days")
        XCTAssertEqual(expected["/report?by=day&since=2026-11-02"]?.components(separatedBy: "<g class=\"period\"").count,
                       3, "since drops the first day")
        try await ServerUnderTest.run(ServerUnderTest.settings(), database: database) { client in
            for (uri, page) in expected {
                let response = try await client.execute(uri: uri, method: .get)
                XCTAssertEqual(response.status, .ok, uri)
                XCTAssertEqual(response.headers[.contentType], "text/html; charset=utf-8", uri)
                XCTAssertEqual(String(buffer: response.body), page, uri)
            }
        }
    }

    func testBadParametersAre400AndNoDatabaseIs404() async throws {
        let (scratch, database) = try labeledDatabase()
        defer { scratch.remove() }
        try await ServerUnderTest.run(ServerUnderTest.settings(), database: database) { client in
            let bad = [("/report?by=year", "by must be day, week or month, not year"),
                       ("/report?since=yesterday",
                        "since yesterday is not a time; write 2026-11-01 or 2026-11-01T09:00:00Z"),
                       ("/report?by=%zz", "by has a % not followed by two hex digits; write % as %25")]
            for (uri, message) in bad {
                let response = try await client.execute(uri: uri, method: .get)
                XCTAssertEqual(response.status, .badRequest, uri)
                XCTAssertEqual(response.errorMessage, message, uri)
            }
        }
        try await ServerUnderTest.run(ServerUnderTest.settings()) { client in
            let response = try await client.execute(uri: "/report", method: .get)
            XCTAssertEqual(response.status, .notFound)
            XCTAssertEqual(response.errorMessage, "the report needs a database: start serve with --db")
        }
    }

    func testTheReportNeedsAnAPIKeyWhenTheServerHasKeys() async throws {
        let (scratch, database) = try labeledDatabase()
        let file = scratch.folder.appendingPathComponent("keys")
        try "report-key\n".write(to: file, atomically: true, encoding: .utf8)
        let settings = ServerUnderTest.settings { $0.access = AccessSettings(apiKeys: try! APIKeys(file: file.path)) }
        try await ServerUnderTest.run(settings, database: database) { client in
            let missing = try await client.execute(uri: "/report", method: .get)
            XCTAssertEqual(missing.status, .unauthorized)
            XCTAssertEqual(missing.headers[.wwwAuthenticate], "Bearer")
            let keyed = try await client.execute(uri: "/report", method: .get,
                                                 headers: [.authorization: "Bearer report-key"])
            XCTAssertEqual(keyed.status, .ok)
        }
    }
}
