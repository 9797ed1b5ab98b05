/// `querykind report --by`, written once for both engines like `report`: one `GROUP BY` day over `query_labels`
/// (joined to the source table when the time is its column) in SQL both engines run alike, with the engine's
/// `utcTimeSQL` the only dialect in it. The database sums per day; days are rolled into weeks or months, and shares,
/// means and drift are computed here, so memory holds one row per day however large the table.
extension LabelDatabase {
    /// The trend report for `request`.
    public func trends(_ request: TrendRequest) throws -> TrendReport {
        try requireCurrentSchema()
        var days: [String: TrendTally] = [:]
        var rowsWithoutTime = 0
        for row in try rows(try trendSQL(timeColumn: request.timeColumn), [
            .text(request.since ?? "0000"), .text(request.until ?? "9999"),
        ]) {
            let tally = TrendTally(row: Array(row.dropFirst()))
            if let day = row[0].text { days[day] = tally } else { rowsWithoutTime = tally.kinds.total }
        }
        return try TrendTally.report(days: days, request: request, rowsWithoutTime: rowsWithoutTime,
                                     hasReviews: try hasTable("query_reviews"))
    }

    /// The per-day sums, in `TrendTally`'s column order, and one row with a NULL day for rows without a time. `$1`
    /// and `$2` bound the time (`TrendTime` text).
    private func trendSQL(timeColumn: String?) throws -> String {
        let time: String
        var join = ""
        if let timeColumn {
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
        let deciding = "CASE WHEN x.kind = 'keyword' THEN x.p_keyword ELSE x.p_question END"
        let reviewed = try hasTable("query_reviews")
            ? "sum(CASE WHEN x.kind IS NOT NULL AND EXISTS (SELECT 1 FROM query_reviews AS q "
                + "WHERE q.normalized_text = x.normalized_text) THEN 1 ELSE 0 END)"
            : "0"
        let reviewKey = try hasTable("query_reviews") ? ", l.normalized_text" : ""
        let kinds = ["keyword", "question", "statement"].map { "sum(CASE WHEN x.kind = '\($0)' THEN 1 ELSE 0 END)" }
        return """
            SELECT substr(x.t, 1, 10) AS day, \(kinds.joined(separator: ", ")),
                   sum(CASE WHEN x.kind IS NULL THEN 1 ELSE 0 END),
                   sum(CASE WHEN abs(\(deciding) - 0.5) < \(TrendRequest.uncertainWithin) THEN 1 ELSE 0 END),
                   sum(x.p_keyword), sum(x.p_question), sum(0.5 + abs(\(deciding) - 0.5)),
                   sum(CASE WHEN x.kind IS NOT NULL AND r.rows_labeled > 0
                            THEN CAST(r.cache_hits AS DOUBLE PRECISION) / r.rows_labeled END),
                   \(reviewed)
            FROM (SELECT \(time) AS t, l.kind, l.p_keyword, l.p_question, l.run_id\(reviewKey)
                  FROM query_labels AS l \(join)) AS x
            LEFT JOIN label_runs AS r ON r.id = x.run_id
            WHERE x.t IS NULL OR (x.t >= $1 AND x.t < $2)
            GROUP BY substr(x.t, 1, 10)
            """
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
