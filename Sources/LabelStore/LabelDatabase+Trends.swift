/// `querykind report --by`, written once for both engines like `report`: one `GROUP BY` day over `query_labels`
/// (joined to the source table when the time is its column) in SQL both engines run alike, with the engine's
/// `utcTimeSQL` the only dialect in it. The database sums per day; days are rolled into weeks or months, and shares,
/// means and drift are computed here, so memory holds one row per day however large the table.
extension LabelDatabase {
    /// The trend report for `request`.
    public func trends(_ request: TrendRequest) throws -> TrendReport {
        try requireCurrentSchema()
        let reviews = try hasTable("query_reviews")
        let deciding = "CASE WHEN x.kind = 'keyword' THEN x.p_keyword ELSE x.p_question END"
        let kinds = ["keyword", "question", "statement"].map { "sum(CASE WHEN x.kind = '\($0)' THEN 1 ELSE 0 END)" }
        let reviewed = reviews
            ? "sum(CASE WHEN x.kind IS NOT NULL AND EXISTS (SELECT 1 FROM query_reviews AS q "
                + "WHERE q.normalized_text = x.normalized_text) THEN 1 ELSE 0 END)"
            : "0"
        let (from, arguments) = try trendRows(request, reviews: reviews)
        var days: [String: TrendTally] = [:]
        var rowsWithoutTime = 0
        for row in try rows("""
            SELECT substr(x.t, 1, 10) AS day, \(kinds.joined(separator: ", ")),
                   sum(CASE WHEN x.kind IS NULL THEN 1 ELSE 0 END),
                   sum(CASE WHEN abs(\(deciding) - 0.5) < \(TrendRequest.uncertainWithin) THEN 1 ELSE 0 END),
                   sum(x.p_keyword), sum(x.p_question), sum(0.5 + abs(\(deciding) - 0.5)),
                   sum(CASE WHEN x.kind IS NOT NULL AND r.rows_labeled > 0
                            THEN CAST(r.cache_hits AS DOUBLE PRECISION) / r.rows_labeled END),
                   \(reviewed)
            \(from) GROUP BY substr(x.t, 1, 10)
            """, arguments) {
            let tally = TrendTally(row: Array(row.dropFirst()))
            if let day = row[0].text { days[day] = tally } else { rowsWithoutTime = tally.kinds.total }
        }
        return try TrendTally.report(days: days, request: request, rowsWithoutTime: rowsWithoutTime,
                                     hasReviews: reviews)
    }

    /// What the HTML page shows beside `report`: each head's histogram over the report's range, and the `examples`
    /// least confident labeled rows of its latest period (the deciding head nearest 0.5, ties by the lowest id),
    /// with their texts where the source table still exists.
    public func trendDetails(_ request: TrendRequest, report: TrendReport, examples: Int = 10) throws -> TrendDetails {
        var details = TrendDetails()
        var latest = request
        if let period = report.periods.last {
            latest.since = max(request.since ?? "", period.start + "T00:00:00")
            latest.until = min(request.until ?? "9999", period.end + "T00:00:00")
        }
        let (from, arguments) = try trendRows(request, reviews: false)
        for row in try rows("""
            SELECT \(Self.histogramBinSQL("x.p_keyword")) AS keyword_bin, \(Self.histogramBinSQL("x.p_question")) AS question_bin,
                   count(*)
            \(from) \(arguments.isEmpty ? "WHERE" : "AND") x.kind IS NOT NULL
            GROUP BY \(Self.histogramBinSQL("x.p_keyword")), \(Self.histogramBinSQL("x.p_question"))
            """, arguments) {
            guard let keyword = row[0].integer, let question = row[1].integer, let count = row[2].integer else { continue }
            details.keywordHistogram[Int(keyword)] += Int(count)
            details.questionHistogram[Int(question)] += Int(count)
        }
        guard !report.periods.isEmpty else { return details }
        let (latestFrom, latestArguments) = try trendRows(latest, reviews: false)
        let deciding = "CASE WHEN x.kind = 'keyword' THEN x.p_keyword ELSE x.p_question END"
        details.leastConfident = try rows("""
            SELECT x.query_id, x.kind, x.p_keyword, x.p_question, abs(\(deciding) - 0.5) AS margin
            \(latestFrom) AND x.t IS NOT NULL AND x.kind IS NOT NULL ORDER BY margin, x.query_id LIMIT \(examples)
            """, latestArguments).map { row in
            LabelReport.Example(
                queryID: row[0].integer ?? 0, rows: 1, text: nil,
                label: StoredLabel(kind: row[1].text ?? "", pKeyword: row[2].real ?? 0, pQuestion: row[3].real ?? 0),
                margin: row[4].real ?? 0)
        }
        let texts = try sourceTexts(ids: details.leastConfident.map(\.queryID))
        for index in details.leastConfident.indices {
            details.leastConfident[index].text = texts[details.leastConfident[index].queryID]
        }
        return details
    }

    /// The `FROM` clause (and `WHERE`, when the request has a range) of every trend query: `query_labels` as the
    /// subquery `x`, each row with its time `t` as `TrendTime` text (and its review key with `reviews`), joined to its
    /// run as `r`; with the arguments its `$1` and `$2` (the range) take.
    ///
    /// Why the `LIMIT` that limits nothing: it keeps SQLite from flattening `x` into the outer query, which would
    /// evaluate the time expression once per use (the day, each bound) instead of once per row: over a million rows
    /// 3.1 s of CPU instead of 1.3 s. The rows still stream (a co-routine, nothing materialized).
    private func trendRows(_ request: TrendRequest, reviews: Bool) throws -> (from: String, arguments: [SQLValue]) {
        let time: String
        var join = ""
        if let timeColumn = request.timeColumn {
            let source = try labeledSource()
            guard try hasTable(source.table) else { throw TrendError.sourceTableGone(source.table) }
            do {
                _ = try rows("SELECT s.\(quoteIdentifier(timeColumn)) FROM \(source.quotedTable) AS s WHERE 1 = 0", [])
            } catch {
                throw TrendError.missingTimeColumn(timeColumn, table: source.table)
            }
            time = try utcTimeSQL(column: timeColumn, table: source.table, alias: "s")
            join = "JOIN \(source.quotedTable) AS s ON s.\(source.quotedID) = l.query_id"
        } else {
            time = try utcTimeSQL(column: "labeled_at", table: "query_labels", alias: "l")
        }
        let from = """
            FROM (SELECT \(time) AS t, l.query_id, l.kind, l.p_keyword, l.p_question, l.run_id\(reviews ? ", l.normalized_text" : "")
                  FROM query_labels AS l \(join) LIMIT 9223372036854775807) AS x
            LEFT JOIN label_runs AS r ON r.id = x.run_id
            """
        guard request.since != nil || request.until != nil else { return (from, []) }
        return (from + "\nWHERE (x.t IS NULL OR (x.t >= $1 AND x.t < $2))",
                [.text(request.since ?? "0000"), .text(request.until ?? "9999")])
    }

    /// The source table the labels belong to: the latest run's (a database's labels belong to one table, see
    /// `checkLabelsBelong`).
    func labeledSource() throws -> SourceTable {
        guard let last = try rows("""
            SELECT source_table, text_column, id_column FROM label_runs ORDER BY id DESC LIMIT 1
            """, []).first else { throw TrendError.noRuns }
        return SourceTable(table: last[0].text ?? "", textColumn: last[1].text ?? "", idColumn: last[2].text ?? "")
    }
}
/// Why a trend report cannot be made; each reads as one line saying what to do.
public enum TrendError: Error, CustomStringConvertible, Equatable, Sendable {
    case noRuns
    case sourceTableGone(String)
    case missingTimeColumn(String, table: String)
    case emptyBaseline(first: String, last: String)

    public var description: String {
        switch self {
        case .noRuns:
            return "no labeling run is recorded, so there is no table of queries to read --time-column from; "
                + "run `querykind label` first, or leave out --time-column to use when rows were labeled"
        case .sourceTableGone(let table):
            return "table \"\(table)\", whose rows were labeled, no longer exists; leave out --time-column to use "
                + "when rows were labeled"
        case .missingTimeColumn(let column, let table):
            return "column \"\(column)\" not found in table \"\(table)\"; --time-column names a column of the "
                + "table of queries holding ISO-8601 text, Unix seconds or a timestamp"
        case .emptyBaseline(let first, let last):
            return "the baseline \(first)..\(last) holds no rows in the report's range; name periods that do "
                + "(--baseline FIRST..LAST, by the days the periods start on)"
        }
    }
}
