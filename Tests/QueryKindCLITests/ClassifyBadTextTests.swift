import Foundation
import XCTest

/// `classify` answers every input line with one output line, and a text that cannot be labeled gets the error a
/// database row with that text gets from `label`, never a made-up `keyword` label.
final class ClassifyBadTextTests: XCTestCase {
    private struct Record: Decodable {
        var text: String
        var kind: String?
        var error: String?
    }

    /// Lines that `label` stores with an error, each with that error, and two good lines around them.
    private let lines: [(bytes: [UInt8], error: String?)] = [
        (Array("where is berlin?".utf8), nil),
        ([], "text is empty"),
        (Array("   \t ".utf8), "text is empty"),
        ([0, 0], "text has no tokens"),
        (Array("\u{1}\u{7}\u{1B}".utf8), "text has no tokens"),
        (Array("\u{200B}".utf8), "text has no tokens"),
        (Array("\u{FEFF}".utf8), "text has no tokens"),
        (Array("\u{0301}\u{0308}".utf8), "text has no tokens"),
        ([0x63, 0x61, 0xFF, 0xFE, 0x74], "text is not valid UTF-8"),
        (Array("cheap flights\u{2028}paris".utf8), nil),
        (Array("trains to rome\u{2029}tomorrow".utf8), nil),
    ]

    func testBadLinesGetTheDatabaseErrorOneLineEach() throws {
        let folder = try CLIFolder()
        let input = folder.url.appendingPathComponent("input.txt")
        try Data(lines.map(\.bytes).joined(separator: [UInt8(ascii: "\n")]) + [UInt8(ascii: "\n")]).write(to: input)
        let output = try CommandRunner.run(
            ["classify", "--model", CommandRunner.tinyModel, "--json"], in: folder.url,
            prefix: ["/bin/sh", "-c", "exec \"$0\" \"$@\" < input.txt"])
        XCTAssertEqual(output.status, 0, output.stderr)
        let outputLines = output.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        XCTAssertEqual(outputLines.count, lines.count, "one output line per input line: \(output.stdout)")
        XCTAssertTrue(output.stdout.contains(#"flights\u2028paris"#), "U+2028 is escaped, not a raw line break")
        XCTAssertTrue(output.stdout.contains(#"rome\u2029tomorrow"#), "U+2029 is escaped, not a raw line break")
        XCTAssertFalse(output.stdout.contains("\u{2028}") || output.stdout.contains("\u{2029}"), output.stdout)
        // The raw line, not only its decoding: an error line writes `kind` as JSON null, a labeled line a string.
        for (raw, line) in zip(outputLines, lines) {
            XCTAssertEqual(raw.contains(#""kind":null"#), line.error != nil, String(raw))
        }
        let records = try outputLines.map { try JSONDecoder().decode(Record.self, from: Data($0.utf8)) }
        for (record, line) in zip(records, lines) {
            XCTAssertEqual(record.error, line.error, record.text)
            XCTAssertEqual(record.kind == nil, line.error != nil, "a labeled line has a kind, an error line none")
        }
        XCTAssertEqual(records[8].text, "ca\u{FFFD}\u{FFFD}t", "invalid bytes are shown replaced, and reported")
    }

    /// The same texts stored in a table get the same errors from `label` (the valid UTF-8 ones; NUL bytes are left
    /// out because the test's insert binds C strings, which end at the first NUL).
    func testLabelStoresTheSameErrors() throws {
        let folder = try CLIFolder()
        let storable = lines.filter { String(validating: $0.bytes, as: UTF8.self) != nil && !$0.bytes.contains(0) }
        let texts = storable.map { String(decoding: $0.bytes, as: UTF8.self) }
        try folder.createQueries(texts)
        let run = try CommandRunner.run(["label", "--db", folder.db, "--model", CommandRunner.tinyModel], in: folder.url)
        XCTAssertEqual(run.status, 0, run.stderr)
        let stored = try folder.rows("SELECT error FROM query_labels ORDER BY query_id", columns: 1).map { $0[0] }
        XCTAssertEqual(stored, storable.map { $0.error ?? "NULL" })
    }
}
