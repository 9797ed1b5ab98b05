import Foundation
import XCTest

/// `querykind report --by` as a person runs it, on rows the tiny model labeled: the JSON document, the terminal
/// bars, and refusals of flags it cannot use, said in the error's one line.
final class TrendReportCLITests: XCTestCase {
    func testReportByDayOnATimeColumn() throws {
        let (folder, _) = try CLIFolder.labeled(rows: 40)
        defer { folder.remove() }
        // Unix seconds: row i at 2026-11-01 + (i - 1) / 4 days, so ten days of four rows each.
        try folder.execute("ALTER TABLE queries ADD COLUMN asked_at INTEGER")
        try folder.execute("UPDATE queries SET asked_at = 1793491200 + ((id - 1) / 4) * 86400 + id")

        let json = try CommandRunner.run(["report", "--db", folder.db, "--by", "day", "--time-column", "asked_at",
                                          "--baseline", "2026-11-01..2026-11-03", "--json"], in: folder.url)
        XCTAssertEqual(json.status, 0, json.stderr)
        let report = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any] ?? [:]
        XCTAssertEqual(report["by"] as? String, "day")
        XCTAssertEqual(report["time_column"] as? String, "asked_at")
        let baseline = report["baseline"] as? [String: Any]
        XCTAssertEqual(baseline?["first"] as? String, "2026-11-01")
        XCTAssertEqual(baseline?["periods"] as? Int, 3)
        let periods = report["periods"] as? [[String: Any]] ?? []
        XCTAssertEqual(periods.map { $0["start"] as? String }, (1...10).map { String(format: "2026-11-%02d", $0) })
        XCTAssertEqual(periods.map { $0["rows"] as? Int }, Array(repeating: 4, count: 10))
        XCTAssertEqual(try folder.count("SELECT count(*) FROM queries_labeled WHERE kind IS NOT NULL"),
                       periods.compactMap { ($0["kinds"] as? [String: Int])?.values.reduce(0, +) }.reduce(0, +))
        for key in ["uncertain_share", "mean_p_keyword", "mean_p_question", "cache_hit_share", "estimated_accuracy",
                    "drift", "drifted"] {
            XCTAssertNotNil(periods.first?[key], key)
        }

        let plain = try CommandRunner.run(["report", "--db", folder.db, "--by", "day", "--time-column", "asked_at"],
                                          in: folder.url)
        XCTAssertEqual(plain.status, 0, plain.stderr)
        let rows = plain.stdout.split(separator: "\n").filter { $0.hasPrefix("  2026-11-") }
        XCTAssertEqual(rows.count, 10, plain.stdout)
        for row in rows {
            let bar = row.filter { "█▓▒░".contains($0) }
            XCTAssertEqual(bar.count, 20, "every bar is full width: \(row)")
        }
    }

    func testUnusableTrendFlagsAreRefusedInOneLine() throws {
        let (folder, _) = try CLIFolder.labeled(rows: 4)
        defer { folder.remove() }
        let report = ["report", "--db", folder.db]
        let cases: [([String], String)] = [
            (["--since", "2026-11-01"], "--since needs --by"),
            (["--by", "day", "--since", "yesterday"], "--since yesterday is not a time"),
            (["--by", "day", "--baseline", "2026-11-07..2026-11-01"], "is not two days FIRST..LAST in order"),
            (["--by", "day", "--drift-threshold", "2"], "--drift-threshold must be a distance from 0 to 1"),
            (["--by", "day", "--time-column", "asked"], "column \"asked\" not found in table \"queries\""),
            (["--by", "day", "--baseline", "2020-01-01..2020-01-02"], "the baseline 2020-01-01..2020-01-02 holds no rows"),
        ]
        for (arguments, expected) in cases {
            let output = try CommandRunner.run(report + arguments, in: folder.url)
            XCTAssertNotEqual(output.status, 0, "\(arguments)")
            let first = output.stderr.split(separator: "\n").first ?? ""
            XCTAssertTrue(first.hasPrefix("Error: ") && first.contains(expected), "\(arguments): \(output.stderr)")
        }
    }
}
