import Foundation
import LabelStore
import XCTest

/// `report --by` on every engine (`StoreContractTests` runs it on SQLite and PostgreSQL): a 28-day table whose mix
/// shifts on day 21, with its time in a native timestamp, in ISO-8601 text with an offset and in Unix seconds.
extension StoreContract {
    /// Day d's rows: days 1–20 six keywords, three questions and a statement; from day 21 two keywords, five
    /// questions, two statements and a row that could not be labeled.
    static func trendMix(day: Int) -> [String?] {
        let mix: [(String?, Int)] = day < 21
            ? [("keyword", 6), ("question", 3), ("statement", 1)]
            : [("keyword", 2), ("question", 5), ("statement", 2), (nil, 1)]
        return mix.flatMap { Array(repeating: $0.0, count: $0.1) }
    }

    /// The labels the test writes: the statement's question head (0.35) is uncertain, the others are not.
    static let trendLabels = [
        "keyword": StoredLabel(kind: "keyword", pKeyword: 0.9, pQuestion: 0.2),
        "question": StoredLabel(kind: "question", pKeyword: 0.1, pQuestion: 0.8),
        "statement": StoredLabel(kind: "statement", pKeyword: 0.2, pQuestion: 0.35),
    ]

    /// The mix shifts on day 21: exactly days 21–28 drift from the first week; the per-day counts are the view's
    /// `GROUP BY`, whichever way the time is stored; figures (reviewed rows included), weeks, range and baseline
    /// flags as defined.
    func trendsDriftOnExactlyTheShiftedDays() throws {
        try store.executeScript("""
            CREATE TABLE queries (id BIGINT PRIMARY KEY, text TEXT, asked_at TIMESTAMP, asked_text TEXT, asked_unix BIGINT)
            """)
        var kinds: [Int64: String?] = [:]
        let start = Date(timeIntervalSince1970: 1_793_491_200)  // 2026-11-01T00:00:00Z
        for day in 1...28 {
            var values: [String] = []
            for (index, kind) in Self.trendMix(day: day).enumerated() {
                let id = Int64(day * 100 + index)
                kinds[id] = kind
                let time = start.addingTimeInterval(Double((day - 1) * 86_400 + index * 3_600 + 1_800))
                let utc = Timestamp.text(time).prefix(19)  // 2026-11-01T00:30:00
                let local = Timestamp.text(time.addingTimeInterval(3_600)).prefix(19) + "+01:00"
                values.append("(\(id), 'q\(id)', '\(utc.replacingOccurrences(of: "T", with: " "))', '\(local)', "
                              + "\(Int(time.timeIntervalSince1970)))")
            }
            try store.execute("INSERT INTO queries VALUES " + values.joined(separator: ", "), [])
        }
        try store.execute("INSERT INTO queries (id, text) VALUES (9999, 'no time')", [])
        kinds[9999] = "keyword"
        try store.checkSetup(for: Self.source)
        try store.prepare(for: Self.source)
        let runID = try startRun()
        let claimed = try store.claimPending(pending(), runID: runID, after: nil, limit: 1000)
        XCTAssertEqual(claimed.count, kinds.count, file: file, line: line)
        var batch = LabelBatch(model: Self.model)
        for row in claimed {
            if let kind = kinds[row.id]!, let label = Self.trendLabels[kind] {
                batch.outcomes.append((row.id, .labeled(label)))
                batch.keys[row.id] = "q\(row.id)"
                batch.counters.labeled += 1
            } else {
                batch.outcomes.append((row.id, .failed(reason: "model failed")))
                batch.counters.errors += 1
            }
        }
        batch.counters.scanned = claimed.count
        batch.counters.cacheHits = batch.counters.labeled / 4
        try store.write(batch, runID: runID)
        try store.finishRun(runID, status: .finished, error: nil)
        for (key, kind) in [("q100", "keyword"), ("q107", "question")] {  // day 1; as the model said, so the view agrees
            _ = try store.recordReview(ReviewSubmission(key: key, kind: kind, reviewer: "ana"))
        }

        let report = try store.trends(TrendRequest(by: .day, timeColumn: "asked_at"))
        let days = (1...28).map { String(format: "2026-11-%02d", $0) }
        XCTAssertEqual(report.periods.map(\.start), days, file: file, line: line)
        XCTAssertEqual(report.periods.filter(\.drifted).map(\.start), Array(days[20...]), file: file, line: line)
        XCTAssertEqual(report.baseline?.first, "2026-11-01", file: file, line: line)
        XCTAssertEqual(report.baseline?.last, "2026-11-07", file: file, line: line)
        XCTAssertEqual(report.baseline?.kinds, TrendReport.Kinds(keyword: 42, question: 21, statement: 7),
                       file: file, line: line)
        XCTAssertEqual(report.rowsWithoutTime, 1, file: file, line: line)

        var viewCounts: [String: [String: Int]] = [:]
        for row in try store.rows("""
            SELECT substr(CAST(asked_at AS TEXT), 1, 10) AS day, coalesce(kind, 'error'), count(*) FROM queries_labeled
            WHERE asked_at IS NOT NULL GROUP BY substr(CAST(asked_at AS TEXT), 1, 10), coalesce(kind, 'error')
            """, []) {
            viewCounts[row[0].text!, default: [:]][row[1].text!] = Int(row[2].integer!)
        }
        let reportCounts = Dictionary(uniqueKeysWithValues: report.periods.map { period in
            (period.start, ["keyword": period.kinds.keyword, "question": period.kinds.question,
                            "statement": period.kinds.statement, "error": period.kinds.error].filter { $0.value > 0 })
        })
        XCTAssertEqual(reportCounts, viewCounts, file: file, line: line)

        let first = report.periods[0]
        XCTAssertEqual(first.drift ?? -1, 0, accuracy: 1e-12, file: file, line: line)
        XCTAssertEqual(first.uncertainShare ?? -1, 0.1, accuracy: 1e-12, file: file, line: line)
        XCTAssertEqual(first.meanPKeyword ?? -1, 0.59, accuracy: 1e-12, file: file, line: line)
        XCTAssertEqual(first.meanPQuestion ?? -1, 0.395, accuracy: 1e-12, file: file, line: line)
        XCTAssertEqual(first.estimatedAccuracy ?? -1, 0.845, accuracy: 1e-12, file: file, line: line)
        XCTAssertEqual(first.cacheHitShare ?? -1, Double(batch.counters.cacheHits) / Double(batch.counters.labeled),
                       accuracy: 1e-12, file: file, line: line)
        XCTAssertEqual(report.periods.map(\.reviewedShare), [0.2] + Array(repeating: 0, count: 27),
                       file: file, line: line)
        XCTAssertEqual(report.periods[27].uncertainShare ?? -1, 2.0 / 9.0, accuracy: 1e-12, file: file, line: line)
        let shifted = JensenShannon.distance([2, 5, 2, 1], [6, 3, 1, 0]) ?? -1
        XCTAssertEqual(report.periods[27].drift ?? -1, shifted, accuracy: 1e-12, file: file, line: line)

        for column in ["asked_text", "asked_unix"] {
            let other = try store.trends(TrendRequest(by: .day, timeColumn: column))
            XCTAssertEqual(other.periods.map(\.start), days, column, file: file, line: line)
            XCTAssertEqual(other.periods.map(\.kinds), report.periods.map(\.kinds), column, file: file, line: line)
        }

        let weeks = try store.trends(TrendRequest(by: .week, timeColumn: "asked_at"))
        XCTAssertEqual(weeks.periods.map(\.start), ["2026-10-26", "2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23"],
                       "ISO weeks start on Monday; 2026-11-01 is a Sunday", file: file, line: line)
        XCTAssertEqual(weeks.periods.map(\.rows), [10, 70, 70, 70, 60], file: file, line: line)

        let range = try store.trends(TrendRequest(
            by: .day, timeColumn: "asked_at", since: "2026-11-20T00:00:00", until: "2026-11-22T00:00:00",
            baseline: "2026-11-21"..."2026-11-21"))
        XCTAssertEqual(range.periods.map(\.start), ["2026-11-20", "2026-11-21"], file: file, line: line)
        XCTAssertEqual(range.periods.map(\.drifted), [true, false], file: file, line: line)

        let byLabeling = try store.trends(TrendRequest(by: .month))
        XCTAssertEqual(byLabeling.timeColumn, "labeled_at", file: file, line: line)
        XCTAssertEqual(byLabeling.periods.map(\.rows), [kinds.count], "all labeled in this month", file: file, line: line)
        try kindsDailyViewMatchesTheReportByLabelingDay()
    }

    /// `queries_kinds_daily`, created with the labeled view: per day of `labeled_at` and kind, the rows and mean
    /// probabilities that `trends` sums by that day.
    private func kindsDailyViewMatchesTheReportByLabelingDay() throws {
        try store.execute("UPDATE query_labels SET labeled_at = '2026-11-02T23:30:00Z' WHERE query_id >= 2100", [])
        try store.execute("UPDATE query_labels SET labeled_at = '2026-11-01T00:30:00+01:00' WHERE query_id < 2100", [])
        var daily: [String: (kinds: [String: Int], pKeyword: Double)] = [:]
        for row in try store.rows("SELECT day, kind, \"rows\", mean_p_keyword FROM queries_kinds_daily", []) {
            let rows = Int(row[2].integer!)
            daily[row[0].text!, default: ([:], 0)].kinds[row[1].text!] = rows
            daily[row[0].text!, default: ([:], 0)].pKeyword += Double(rows) * (row[3].real ?? 0)
        }
        XCTAssertEqual(Set(daily.keys), ["2026-10-31", "2026-11-02"], "UTC days", file: file, line: line)
        let report = try store.trends(TrendRequest(by: .day))
        for period in report.periods where period.rows > 0 {
            let kinds = period.kinds
            XCTAssertEqual(daily[period.start]?.kinds, ["keyword": kinds.keyword, "question": kinds.question,
                                                        "statement": kinds.statement, "error": kinds.error]
                               .filter { $0.value > 0 }, period.start, file: file, line: line)
            XCTAssertEqual((daily[period.start]?.pKeyword ?? 0) / Double(kinds.labeled), period.meanPKeyword ?? -1,
                           accuracy: 1e-9, period.start, file: file, line: line)
        }
    }
}
