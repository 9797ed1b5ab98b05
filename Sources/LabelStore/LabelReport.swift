/// What `querykind report` shows: a summary of the labels, the cache and recent runs, computed with plain
/// SQL over querykind's tables (the same queries a person could type into `sqlite3`).
public struct LabelReport: Sendable, Codable {
    /// Rows per model and kind; `kind` is nil for rows that could not be labeled.
    public struct KindCount: Sendable, Codable, Equatable {
        public var model: String
        public var kind: String?
        public var count: Int
    }

    /// Rows per error reason.
    public struct ErrorCount: Sendable, Codable, Equatable {
        public var error: String
        public var count: Int
    }

    /// A label near a head's 0.5 decision boundary, with the first row that has it.
    public struct Example: Sendable, Codable, Equatable {
        public var queryID: Int64
        /// How many rows share this label (repeats of the same text).
        public var rows: Int
        /// The source text, shortened to 120 characters; nil when the source table is gone.
        public var text: String?
        public var label: StoredLabel
        /// Distance of the deciding head(s) from 0.5: 0 is a coin flip.
        public var margin: Double

        enum CodingKeys: String, CodingKey {
            case queryID = "query_id", rows, text, label, margin
        }
    }

    /// Cache size and how often it saved an inference.
    public struct CacheSummary: Sendable, Codable, Equatable {
        public var entries: Int
        public var hits: Int
        /// Over all runs: labeled rows served without an inference / labeled rows.
        public var hitRate: Double

        enum CodingKeys: String, CodingKey {
            case entries, hits, hitRate = "hit_rate"
        }
    }

    /// One `label_runs` row.
    public struct Run: Sendable, Codable, Equatable {
        public var id: Int64
        public var command: String
        public var status: String
        public var startedAt: String
        public var endedAt: String?
        public var model: String
        public var counters: RunCounters
        public var error: String?

        enum CodingKeys: String, CodingKey {
            case id, command, status, startedAt = "started_at", endedAt = "ended_at", model, counters, error
        }
    }

    public var byKind: [KindCount]
    public var errors: [ErrorCount]
    /// Labeled rows in ten bins of width 0.1 over the keyword head's probability (`[0, 0.1)` first).
    public var keywordHistogram: [Int]
    /// The same over the question head's probability.
    public var questionHistogram: [Int]
    public var leastConfident: [Example]
    public var cache: CacheSummary
    public var recentRuns: [Run]

    enum CodingKeys: String, CodingKey {
        case byKind = "by_kind", errors, keywordHistogram = "p_keyword_histogram"
        case questionHistogram = "p_question_histogram", leastConfident = "least_confident", cache
        case recentRuns = "recent_runs"
    }
}

extension LabelStore {
    /// Builds the report; `examples` and `runs` bound the two lists.
    public func report(examples: Int = 10, runs: Int = 10) throws -> LabelReport {
        try requireCurrentSchema()
        let byKind = try connection.query(
            "SELECT model, kind, count(*) FROM query_labels GROUP BY model, kind ORDER BY model, count(*) DESC"
        ) { LabelReport.KindCount(model: $0.string(0), kind: $0.optionalString(1), count: Int($0.int64(2))) }
        let errors = try connection.query(
            "SELECT error, count(*) FROM query_labels WHERE error IS NOT NULL GROUP BY error ORDER BY count(*) DESC"
        ) { LabelReport.ErrorCount(error: $0.string(0), count: Int($0.int64(1))) }
        let cache = try connection.query("""
            SELECT (SELECT count(*) FROM label_cache), (SELECT coalesce(sum(hits), 0) FROM label_cache),
                   (SELECT coalesce(sum(cache_hits), 0) FROM label_runs),
                   (SELECT coalesce(sum(rows_labeled), 0) FROM label_runs)
            """) { row in
            LabelReport.CacheSummary(entries: Int(row.int64(0)), hits: Int(row.int64(1)),
                                     hitRate: row.int64(3) == 0 ? 0 : row.double(2) / row.double(3))
        }[0]
        let recentRuns = try connection.query("""
            SELECT id, command, status, started_at, ended_at, model, rows_scanned, rows_labeled, cache_hits,
                   inferences, rows_with_errors, error
            FROM label_runs ORDER BY id DESC LIMIT ?
            """, [.integer(Int64(runs))]) { row in
            var counters = RunCounters()
            counters.scanned = Int(row.int64(6))
            counters.labeled = Int(row.int64(7))
            counters.cacheHits = Int(row.int64(8))
            counters.inferences = Int(row.int64(9))
            counters.errors = Int(row.int64(10))
            return LabelReport.Run(id: row.int64(0), command: row.string(1), status: row.string(2),
                                   startedAt: row.string(3), endedAt: row.optionalString(4), model: row.string(5),
                                   counters: counters, error: row.optionalString(11))
        }
        return LabelReport(
            byKind: byKind, errors: errors,
            keywordHistogram: try histogram(column: "p_keyword"),
            questionHistogram: try histogram(column: "p_question"),
            leastConfident: try leastConfident(limit: examples), cache: cache, recentRuns: recentRuns)
    }

    private func histogram(column: String) throws -> [Int] {
        var bins = [Int](repeating: 0, count: 10)
        let rows = try connection.query("""
            SELECT min(max(CAST(\(column) * 10 AS INTEGER), 0), 9) AS bin, count(*) FROM query_labels
            WHERE \(column) IS NOT NULL GROUP BY bin
            """) { (Int($0.int64(0)), Int($0.int64(1))) }
        for (bin, count) in rows { bins[bin] = count }
        return bins
    }

    /// The labels closest to a decision boundary (rows sharing a label counted once), with the text when the
    /// source table (the one the latest run labeled) still exists.
    private func leastConfident(limit: Int) throws -> [LabelReport.Example] {
        let source = try connection.query(
            "SELECT source_table, text_column, id_column FROM label_runs ORDER BY id DESC LIMIT 1"
        ) { SourceTable(table: $0.string(0), textColumn: $0.string(1), idColumn: $0.string(2)) }.first
        let margin = """
            CASE WHEN l.kind = 'keyword' THEN abs(l.p_keyword - 0.5)
                 ELSE min(abs(l.p_keyword - 0.5), abs(l.p_question - 0.5)) END
            """
        var text = "NULL", join = ""
        if let source, try hasTable(source.table) {
            text = "substr(CAST(s.\(source.quotedText) AS TEXT), 1, 120)"
            join = "LEFT JOIN \(source.quotedTable) AS s ON s.\(source.quotedID) = l.query_id"
        }
        return try connection.query("""
            SELECT min(l.query_id), \(text), l.kind, l.p_keyword, l.p_question, \(margin) AS margin, count(*)
            FROM query_labels AS l \(join) WHERE l.kind IS NOT NULL
            GROUP BY l.model, l.p_keyword, l.p_question ORDER BY margin, min(l.query_id) LIMIT ?
            """, [.integer(Int64(limit))]) { row in
            LabelReport.Example(
                queryID: row.int64(0), rows: Int(row.int64(6)), text: row.optionalString(1),
                label: StoredLabel(kind: row.string(2), pKeyword: row.double(3), pQuestion: row.double(4)),
                margin: row.double(5))
        }
    }
}
