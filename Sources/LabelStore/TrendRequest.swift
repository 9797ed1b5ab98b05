/// What `report --by` is asked for: the period length, which time places a row in a period, the range, the baseline
/// and the drift threshold.
public struct TrendRequest: Sendable, Equatable {
    /// The length of a period.
    public var by: TrendPeriod
    /// The source table's column whose time places a row (ISO-8601 text, Unix seconds or a native timestamp); nil:
    /// when the row was labeled (`query_labels.labeled_at`).
    public var timeColumn: String?
    /// Rows at or after this moment (`TrendTime` text); nil: from the first.
    public var since: String?
    /// Rows before this moment (`TrendTime` text); nil: to the last.
    public var until: String?
    /// The periods whose mix the others are compared with, by the days they start on (both included); nil: the
    /// first `defaultBaselinePeriods` periods.
    public var baseline: ClosedRange<String>?
    /// A period whose drift is past this has `drifted` true.
    public var driftThreshold: Double

    /// Periods in the default baseline: a week of days, so a weekly rhythm does not read as drift.
    public static let defaultBaselinePeriods = 7
    public static let defaultDriftThreshold = 0.1
    /// A labeled row is uncertain when its deciding head's probability is within this of 0.5.
    public static let uncertainWithin = 0.2

    public init(by: TrendPeriod, timeColumn: String? = nil, since: String? = nil, until: String? = nil,
                baseline: ClosedRange<String>? = nil, driftThreshold: Double = defaultDriftThreshold) {
        (self.by, self.timeColumn, self.since, self.until) = (by, timeColumn, since, until)
        (self.baseline, self.driftThreshold) = (baseline, driftThreshold)
    }
}
