/// One day's (or period's) sums, as `LabelDatabase.trends` reads them from the database: sums rather than means, so
/// days add up into weeks and months exactly.
struct TrendTally {
    var kinds = TrendReport.Kinds()
    var uncertain = 0
    var pKeyword = 0.0, pQuestion = 0.0, confidence = 0.0, cacheHits = 0.0
    var reviewed = 0

    init() {}

    /// From the columns of `trendSQL` after the day.
    init(row: [SQLValue]) {
        let count = { Int(row[$0].integer ?? 0) }
        kinds = TrendReport.Kinds(keyword: count(0), question: count(1), statement: count(2), error: count(3))
        uncertain = count(4)
        (pKeyword, pQuestion, confidence, cacheHits) = (row[5].real ?? 0, row[6].real ?? 0, row[7].real ?? 0,
                                                        row[8].real ?? 0)
        reviewed = count(9)
    }

    static func + (a: TrendTally, b: TrendTally) -> TrendTally {
        var sum = a
        sum.kinds = a.kinds + b.kinds
        sum.uncertain += b.uncertain
        sum.pKeyword += b.pKeyword
        sum.pQuestion += b.pQuestion
        sum.confidence += b.confidence
        sum.cacheHits += b.cacheHits
        sum.reviewed += b.reviewed
        return sum
    }

    /// The period starting on `start`, its drift against `baseline` (nil: no baseline rows).
    func period(start: String, end: String, baseline: TrendReport.Kinds?, threshold: Double,
                hasReviews: Bool) -> TrendReport.Period {
        let labeled = Double(kinds.labeled)
        let share = { (sum: Double) -> Double? in labeled > 0 ? sum / labeled : nil }
        let drift = baseline.flatMap { JensenShannon.distance(kinds.counts, $0.counts) }
        return TrendReport.Period(
            start: start, end: end, rows: kinds.total, kinds: kinds, uncertainShare: share(Double(uncertain)),
            meanPKeyword: share(pKeyword), meanPQuestion: share(pQuestion), cacheHitShare: share(cacheHits),
            reviewedShare: hasReviews ? .some(share(Double(reviewed))) : nil, estimatedAccuracy: share(confidence),
            drift: drift, drifted: drift.map { $0 > threshold } ?? false)
    }

    /// The report from per-day tallies: every period from the first with rows to the last, the baseline pooled
    /// from its periods, and each period compared with it.
    static func report(days: [String: TrendTally], request: TrendRequest, rowsWithoutTime: Int,
                       hasReviews: Bool) throws -> TrendReport {
        var periods: [String: TrendTally] = [:]
        for (day, tally) in days {
            guard let start = request.by.start(of: day) else { continue }
            periods[start] = (periods[start] ?? TrendTally()) + tally
        }
        var starts: [String] = []
        if let first = periods.keys.min(), let last = periods.keys.max() {
            var start = first
            while start <= last {
                starts.append(start)
                start = request.by.next(after: start)
            }
        }
        let baselineStarts = request.baseline.map { range in starts.filter { range.contains($0) } }
            ?? Array(starts.prefix(TrendRequest.defaultBaselinePeriods))
        let baselineKinds = baselineStarts.reduce(TrendReport.Kinds()) { $0 + (periods[$1]?.kinds ?? .init()) }
        if let range = request.baseline, baselineKinds.total == 0 {
            throw TrendError.emptyBaseline(first: range.lowerBound, last: range.upperBound)
        }
        let baseline = baselineStarts.isEmpty ? nil : TrendReport.Baseline(
            first: baselineStarts.first!, last: baselineStarts.last!, periods: baselineStarts.count, kinds: baselineKinds)
        return TrendReport(
            by: request.by, timeColumn: request.timeColumn ?? "labeled_at", since: request.since,
            until: request.until, driftThreshold: request.driftThreshold, baseline: baseline,
            rowsWithoutTime: rowsWithoutTime,
            periods: starts.map { start in
                (periods[start] ?? TrendTally()).period(
                    start: start, end: request.by.next(after: start), baseline: baseline?.kinds,
                    threshold: request.driftThreshold, hasReviews: hasReviews)
            })
    }
}
