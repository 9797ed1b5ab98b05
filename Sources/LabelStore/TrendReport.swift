/// What `querykind report --by` shows: the labeled rows per period with their mix, confidence and drift from a
/// baseline (`LabelDatabase+Trends.swift` computes it; docs/database.md documents the JSON).
public struct TrendReport: Sendable, Codable, Equatable {
    /// Rows per kind, and rows that could not be labeled (`error`): the categories drift compares.
    public struct Kinds: Sendable, Codable, Equatable {
        public var keyword = 0, question = 0, statement = 0, error = 0

        public init(keyword: Int = 0, question: Int = 0, statement: Int = 0, error: Int = 0) {
            (self.keyword, self.question, self.statement, self.error) = (keyword, question, statement, error)
        }

        /// In the order drift compares them.
        public var counts: [Int] { [keyword, question, statement, error] }
        public var total: Int { counts.reduce(0, +) }
        /// The labeled rows (all but `error`).
        public var labeled: Int { keyword + question + statement }

        static func + (a: Kinds, b: Kinds) -> Kinds {
            Kinds(keyword: a.keyword + b.keyword, question: a.question + b.question,
                  statement: a.statement + b.statement, error: a.error + b.error)
        }
    }

    /// The periods the others are compared with, and their pooled mix.
    public struct Baseline: Sendable, Codable, Equatable {
        /// The first day of the first and of the last baseline period.
        public var first: String
        public var last: String
        public var periods: Int
        public var kinds: Kinds
    }

    /// One period. Shares and means are over its labeled rows and null when it has none.
    public struct Period: Sendable, Codable, Equatable {
        /// Its first day, and the first day after it.
        public var start: String
        public var end: String
        public var rows: Int
        public var kinds: Kinds
        /// Labeled rows whose deciding head (the keyword head for a keyword, else the question head) is within
        /// `TrendRequest.uncertainWithin` of 0.5.
        public var uncertainShare: Double?
        public var meanPKeyword: Double?
        public var meanPQuestion: Double?
        /// Each labeled row counted at the cache hit rate of the run that labeled it (rows do not record whether
        /// their own label came from the cache; runs do).
        public var cacheHitShare: Double?
        /// Labeled rows whose text has a review; absent (not null) when the database has no reviews table.
        public var reviewedShare: Double??
        /// An estimate, not a measurement: the mean of the deciding head's probability of what it decided
        /// (`max(p, 1 - p)`), which equals accuracy where the model is calibrated.
        public var estimatedAccuracy: Double?
        /// The Jensen–Shannon distance (base 2) between this period's kinds and the baseline's; null without rows.
        public var drift: Double?
        public var drifted: Bool

        enum CodingKeys: String, CodingKey {
            case start, end, rows, kinds, uncertainShare = "uncertain_share", meanPKeyword = "mean_p_keyword"
            case meanPQuestion = "mean_p_question", cacheHitShare = "cache_hit_share"
            case reviewedShare = "reviewed_share", estimatedAccuracy = "estimated_accuracy", drift, drifted
        }

        /// Writes null for an empty period's figures instead of leaving them out, so every period has every key;
        /// `reviewed_share` is left out only where no reviews exist.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(start, forKey: .start)
            try container.encode(end, forKey: .end)
            try container.encode(rows, forKey: .rows)
            try container.encode(kinds, forKey: .kinds)
            try container.encode(uncertainShare, forKey: .uncertainShare)
            try container.encode(meanPKeyword, forKey: .meanPKeyword)
            try container.encode(meanPQuestion, forKey: .meanPQuestion)
            try container.encode(cacheHitShare, forKey: .cacheHitShare)
            if let reviewedShare { try container.encode(reviewedShare, forKey: .reviewedShare) }
            try container.encode(estimatedAccuracy, forKey: .estimatedAccuracy)
            try container.encode(drift, forKey: .drift)
            try container.encode(drifted, forKey: .drifted)
        }
    }

    public var by: TrendPeriod
    /// `labeled_at`, or the source table's column that `--time-column` named.
    public var timeColumn: String
    public var since: String?
    public var until: String?
    public var driftThreshold: Double
    /// Nil when no period has rows.
    public var baseline: Baseline?
    /// Labeled rows whose time is NULL or not readable as a time, in no period.
    public var rowsWithoutTime: Int
    /// Every period from the first with rows to the last with rows, empty ones included.
    public var periods: [Period]

    enum CodingKeys: String, CodingKey {
        case by, timeColumn = "time_column", since, until, driftThreshold = "drift_threshold", baseline
        case rowsWithoutTime = "rows_without_time", periods
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(by, forKey: .by)
        try container.encode(timeColumn, forKey: .timeColumn)
        try container.encode(since, forKey: .since)
        try container.encode(until, forKey: .until)
        try container.encode(driftThreshold, forKey: .driftThreshold)
        try container.encode(baseline, forKey: .baseline)
        try container.encode(rowsWithoutTime, forKey: .rowsWithoutTime)
        try container.encode(periods, forKey: .periods)
    }
}
