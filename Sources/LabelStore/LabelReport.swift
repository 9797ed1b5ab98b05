/// What `querykind report` shows: a summary of the labels, the cache and recent runs, computed with plain
/// SQL over querykind's tables (`LabelDatabase+Report.swift`: the same queries a person could type into `sqlite3`
/// or `psql`).
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

        public init(error: String, count: Int) { (self.error, self.count) = (error, count) }
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

        public init(entries: Int, hits: Int, hitRate: Double) {
            (self.entries, self.hits, self.hitRate) = (entries, hits, hitRate)
        }

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
