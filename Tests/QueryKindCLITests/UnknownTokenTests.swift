import Foundation
import XCTest

/// Texts the shipped model cannot read: a text whose every word is `[UNK]` to its vocabulary (emoji only, Thai) gets
/// the error `text has no tokens the model knows` instead of a label (v3 called each of them a keyword query at
/// 0.99), and a text partly made of such words keeps its label and says how much of it was `[UNK]`
/// (`unknown_token_share`), in `classify --json`, `lookup --json` and the HTTP answer alike.
final class UnknownTokenTests: XCTestCase {
    /// Texts, the error each must get (nil: labeled), and the `unknown_token_share` each must carry (nil: none).
    private let cases: [(text: String, error: String?, share: Double?)] = [
        ("😀😀", "text has no tokens the model knows", nil),
        ("🎉 🙏", "text has no tokens the model knows", nil),
        ("สวัสดีครับ", "text has no tokens the model knows", nil),
        ("🎉🎉🎉 ok", nil, 1.0 / 2.0),
        ("cheap flights 😀", nil, 1.0 / 3.0),
        ("cheap flights paris", nil, nil),
    ]

    private struct Record: Decodable {
        var text: String
        var kind: String?
        var error: String?
        var unknown_token_share: Double?
    }

    private func check(_ records: [Record], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(records.map(\.text), cases.map(\.text), file: file, line: line)
        for (record, expected) in zip(records, cases) {
            XCTAssertEqual(record.error, expected.error, record.text, file: file, line: line)
            XCTAssertEqual(record.kind == nil, expected.error != nil, record.text, file: file, line: line)
            XCTAssertEqual(record.unknown_token_share, expected.share, record.text, file: file, line: line)
        }
    }

    func testClassifyAndLookupRefuseUnreadableTextsAndShowTheShare() throws {
        let folder = try CLIFolder()
        for command in [["classify", "--json"], ["lookup", "--json"]] {
            let output = try CommandRunner.run(command + cases.map(\.text), in: folder.url)
            XCTAssertEqual(output.status, 0, output.stderr)
            check(try output.stdout.split(separator: "\n").map { try JSONDecoder().decode(Record.self, from: Data($0.utf8)) })
        }
    }

    /// `label` stores the same error, and the emoji-only texts leave no shared "[UNK]" entry in the cache.
    func testLabelStoresTheErrorAndCachesNoUnknownKey() throws {
        let folder = try CLIFolder()
        try folder.createQueries(cases.map(\.text))
        let run = try CommandRunner.run(["label", "--db", folder.db], in: folder.url)
        XCTAssertEqual(run.status, 0, run.stderr)
        let stored = try folder.rows("SELECT error FROM query_labels ORDER BY query_id", columns: 1).map { $0[0] }
        XCTAssertEqual(stored, cases.map { $0.error ?? "NULL" })
        XCTAssertEqual(try folder.rows("SELECT normalized_text FROM label_cache ORDER BY 1", columns: 1).map { $0[0] },
                       ["[UNK] ok", "cheap flights [UNK]", "cheap flights paris"])
    }

    func testServeAnswersTheSame() throws {
        let folder = try CLIFolder()
        let server = try ServeProcess([], in: folder.url)
        let reply = try server.post("/v1/classify", json: ["texts": cases.map(\.text)])
        XCTAssertEqual(reply.status, 200, String(decoding: reply.body, as: UTF8.self))
        let results = try XCTUnwrap(reply.object["results"] as? [[String: Any]])
        check(try results.map { try JSONDecoder().decode(Record.self, from: JSONSerialization.data(withJSONObject: $0)) })
        let single = try server.classify("cheap flights 😀")
        XCTAssertEqual(single.object["unknown_token_share"] as? Double, 1.0 / 3.0)
        XCTAssertEqual(try server.classify("😀").object["error"] as? String, "text has no tokens the model knows")
    }
}
