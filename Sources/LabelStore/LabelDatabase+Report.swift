/// `querykind report`, written once for both engines: plain SQL that SQLite and PostgreSQL run alike, read through
/// `rows`, with every definition (a label's margin, the histogram bins, the hit rate, an example's text, the order of
/// every list) in this file, so the two engines give the same document for the same rows.
extension LabelDatabase {
    /// Builds the report; `examples` and `runs` bound the two lists.
    public func report(examples: Int = 10, runs: Int = 10) throws -> LabelReport {
        try requireCurrentSchema()
        let byKind = try rows("SELECT model, kind, count(*) FROM query_labels GROUP BY model, kind", []).map {
            LabelReport.KindCount(model: $0[0].text ?? "", kind: $0[1].text, count: Int($0[2].integer ?? 0))
        }.sorted { ($0.model, -$0.count, $0.kind == nil ? 1 : 0, $0.kind ?? "") < ($1.model, -$1.count, $1.kind == nil ? 1 : 0, $1.kind ?? "") }
        let errors = try rows("SELECT error, count(*) FROM query_labels WHERE error IS NOT NULL GROUP BY error", []).map {
            LabelReport.ErrorCount(error: $0[0].text ?? "", count: Int($0[1].integer ?? 0))
        }.sorted { (-$0.count, $0.error) < (-$1.count, $1.error) }
        return LabelReport(
            byKind: byKind, errors: errors,
            keywordHistogram: try histogram(column: "p_keyword"),
            questionHistogram: try histogram(column: "p_question"),
            leastConfident: try leastConfident(limit: examples), cache: try cacheSummary(),
            recentRuns: try recentRuns(limit: runs))
    }

    /// Labeled rows in ten bins of width 0.1: bin i holds `[i/10, (i+1)/10)`, as `CAST(p * 10 AS INTEGER)` would
    /// say in SQLite (PostgreSQL's cast rounds, so the bin is spelled as comparisons), 1.0 in the last.
    private func histogram(column: String) throws -> [Int] {
        let bin = Self.histogramBinSQL(column)
        var bins = [Int](repeating: 0, count: 10)
        for row in try rows("""
            SELECT \(bin) AS bin, count(*) FROM query_labels WHERE \(column) IS NOT NULL GROUP BY bin
            """, []) {
            if let index = row[0].integer, let count = row[1].integer { bins[Int(index)] = Int(count) }
        }
        return bins
    }

    /// The bin, 0 to 9, of probability `column`, written as comparisons (see `histogram`).
    static func histogramBinSQL(_ column: String) -> String {
        "CASE " + (1...9).reversed().map { "WHEN \(column) * 10 >= \($0) THEN \($0) " }.joined() + "ELSE 0 END"
    }

    /// A label's distance from a coin flip: for a keyword, the keyword head's distance from 0.5 (it alone decides);
    /// otherwise the nearer of the two heads (both decide between question and statement).
    static var marginSQL: String {
        """
        CASE WHEN kind = 'keyword' THEN abs(p_keyword - 0.5)
             WHEN abs(p_keyword - 0.5) < abs(p_question - 0.5) THEN abs(p_keyword - 0.5)
             ELSE abs(p_question - 0.5) END
        """
    }

    /// The labels closest to a decision boundary, rows sharing a label (model, kind, both heads) counted once, ties
    /// by the lowest id; each with the text of its lowest id, when the source table (the one the latest run labeled)
    /// still exists.
    private func leastConfident(limit: Int) throws -> [LabelReport.Example] {
        var examples = try rows("""
            SELECT min(query_id), count(*), kind, p_keyword, p_question, \(Self.marginSQL) AS margin
            FROM query_labels WHERE kind IS NOT NULL
            GROUP BY model, kind, p_keyword, p_question ORDER BY margin, min(query_id) LIMIT $1
            """, [.integer(Int64(limit))]).map { row in
            LabelReport.Example(
                queryID: row[0].integer ?? 0, rows: Int(row[1].integer ?? 0), text: nil,
                label: StoredLabel(kind: row[2].text ?? "", pKeyword: row[3].real ?? 0, pQuestion: row[4].real ?? 0),
                margin: row[5].real ?? 0)
        }
        let texts = try sourceTexts(ids: examples.map(\.queryID))
        for index in examples.indices { examples[index].text = texts[examples[index].queryID] }
        return examples
    }

    /// The texts of `ids` in the latest run's source table (none when it is gone), each its first 120 characters
    /// (Unicode scalars, as SQL's `substr` counts them).
    func sourceTexts(ids: [Int64]) throws -> [Int64: String] {
        guard !ids.isEmpty, let last = try rows("""
            SELECT source_table, text_column, id_column FROM label_runs ORDER BY id DESC LIMIT 1
            """, []).first else { return [:] }
        let source = SourceTable(table: last[0].text ?? "", textColumn: last[1].text ?? "", idColumn: last[2].text ?? "")
        guard try hasTable(source.table) else { return [:] }
        let list = ids.indices.map { "$\($0 + 1)" }.joined(separator: ", ")
        var texts: [Int64: String] = [:]
        for row in try rows("""
            SELECT s.\(source.quotedID), CAST(s.\(source.quotedText) AS TEXT) FROM \(source.quotedTable) AS s
            WHERE s.\(source.quotedID) IN (\(list))
            """, ids.map { .integer($0) }) {
            guard let id = row[0].integer, let text = row[1].text else { continue }
            texts[id] = String(String.UnicodeScalarView(text.unicodeScalars.prefix(120)))
        }
        return texts
    }

    /// Cache size, hits, and over all runs the share of labeled rows served without an inference.
    private func cacheSummary() throws -> LabelReport.CacheSummary {
        let row = try rows("""
            SELECT (SELECT count(*) FROM label_cache),
                   (SELECT CAST(coalesce(sum(hits), 0) AS BIGINT) FROM label_cache),
                   (SELECT CAST(coalesce(sum(cache_hits), 0) AS BIGINT) FROM label_runs),
                   (SELECT CAST(coalesce(sum(rows_labeled), 0) AS BIGINT) FROM label_runs)
            """, [])[0].map { $0.integer ?? 0 }
        return LabelReport.CacheSummary(entries: Int(row[0]), hits: Int(row[1]),
                                        hitRate: row[3] == 0 ? 0 : Double(row[2]) / Double(row[3]))
    }

    /// The newest `limit` runs, newest first.
    private func recentRuns(limit: Int) throws -> [LabelReport.Run] {
        try rows("""
            SELECT id, command, status, started_at, ended_at, model, rows_scanned, rows_labeled, cache_hits,
                   inferences, rows_with_errors, error
            FROM label_runs ORDER BY id DESC LIMIT $1
            """, [.integer(Int64(limit))]).map { row in
            var counters = RunCounters()
            counters.scanned = Int(row[6].integer ?? 0)
            counters.labeled = Int(row[7].integer ?? 0)
            counters.cacheHits = Int(row[8].integer ?? 0)
            counters.inferences = Int(row[9].integer ?? 0)
            counters.errors = Int(row[10].integer ?? 0)
            return LabelReport.Run(id: row[0].integer ?? 0, command: row[1].text ?? "", status: row[2].text ?? "",
                                   startedAt: row[3].text ?? "", endedAt: row[4].text, model: row[5].text ?? "",
                                   counters: counters, error: row[11].text)
        }
    }
}
