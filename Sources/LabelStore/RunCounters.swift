/// The figures a run reports and `label_runs` records: every scanned row is either labeled or an error,
/// and every labeled row came from either the cache or one model inference.
public struct RunCounters: Sendable, Equatable, Codable {
    public var scanned = 0
    public var labeled = 0
    /// Labeled rows served from the cache (or by an earlier duplicate in the same batch).
    public var cacheHits = 0
    /// Texts run through the model (distinct cache misses).
    public var inferences = 0
    /// Rows written with an error instead of a label.
    public var errors = 0

    public init() {}

    public static func + (left: RunCounters, right: RunCounters) -> RunCounters {
        var sum = left
        sum.scanned += right.scanned
        sum.labeled += right.labeled
        sum.cacheHits += right.cacheHits
        sum.inferences += right.inferences
        sum.errors += right.errors
        return sum
    }

    /// The fraction of labeled rows that needed no inference.
    public var cacheHitRate: Double { labeled == 0 ? 0 : Double(cacheHits) / Double(labeled) }

    enum CodingKeys: String, CodingKey {
        case scanned = "rows_scanned"
        case labeled = "rows_labeled"
        case cacheHits = "cache_hits"
        case inferences
        case errors = "rows_with_errors"
    }
}
