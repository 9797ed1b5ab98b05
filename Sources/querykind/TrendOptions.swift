import ArgumentParser
import LabelStore

/// `report`'s trend flags: `--by` turns the all-time summary into one row per period; the others refine it.
struct TrendOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Report per period instead of all time: mix, confidence and drift from a baseline per day, week or month.",
        valueName: "day|week|month"))
    var by: TrendPeriod?

    @Option(name: .long, help: ArgumentHelp(
        "With --by: the table of queries' column whose time places a row in a period (ISO-8601 text, Unix "
            + "seconds or a timestamp; default: when the row was labeled).", valueName: "column"))
    var timeColumn: String?

    @Option(name: .long, help: ArgumentHelp(
        "With --by: only rows at or after this time (2026-11-01 or 2026-11-01T09:00:00Z; UTC unless an offset "
            + "is given).", valueName: "time"))
    var since: String?

    @Option(name: .long, help: ArgumentHelp("With --by: only rows before this time.", valueName: "time"))
    var until: String?

    @Option(name: .long, help: ArgumentHelp(
        "With --by: the periods the others are compared with, by the days they start on (default: the first "
            + "\(TrendRequest.defaultBaselinePeriods) periods).", valueName: "FIRST..LAST"))
    var baseline: String?

    @Option(name: .long, help: ArgumentHelp(
        "With --by: a period whose drift (Jensen-Shannon distance of its kinds from the baseline's, 0 to 1) is "
            + "past this is marked drifted.", valueName: "distance"))
    var driftThreshold: Double = TrendRequest.defaultDriftThreshold

    @Option(name: .long, help: ArgumentHelp(
        "With --by: also write the report as one self-contained HTML page (inline SVG, nothing fetched) to this "
            + "file: kinds per period, drift, confidence histograms, least confident labels of the latest period.",
        valueName: "file"))
    var html: String?

    func validate() throws {
        guard by != nil else {
            let given = [("--time-column", timeColumn), ("--since", since), ("--until", until),
                         ("--baseline", baseline), ("--html", html)].filter { $0.1 != nil }.map(\.0)
                + (driftThreshold != TrendRequest.defaultDriftThreshold ? ["--drift-threshold"] : [])
            if let first = given.first { throw ValidationError("\(first) needs --by day, week or month") }
            return
        }
        _ = try request()
    }

    /// The request the flags describe; nil without `--by`. Throws a `ValidationError` on a value it cannot read.
    func request() throws -> TrendRequest? {
        guard let by else { return nil }
        guard driftThreshold.isFinite, (0...1).contains(driftThreshold) else {
            throw ValidationError("--drift-threshold must be a distance from 0 to 1, not \(driftThreshold)")
        }
        let time = { (flag: String, text: String?) throws -> String? in
            guard let text else { return nil }
            guard let normalized = TrendTime.normalized(text) else {
                throw ValidationError("\(flag) \(text) is not a time; write 2026-11-01 or 2026-11-01T09:00:00Z")
            }
            return normalized
        }
        let (since, until) = (try time("--since", since), try time("--until", until))
        if let since, let until, since >= until {
            throw ValidationError("--since must be before --until (\(self.since!) is not before \(self.until!))")
        }
        return TrendRequest(by: by, timeColumn: timeColumn, since: since, until: until,
                            baseline: try baselineRange(by), driftThreshold: driftThreshold)
    }

    /// `--baseline FIRST..LAST` as the range of period starts it covers (FIRST is moved to its period's start).
    private func baselineRange(_ by: TrendPeriod) throws -> ClosedRange<String>? {
        guard let baseline else { return nil }
        let ends = baseline.components(separatedBy: "..")
        guard ends.count == 2, let first = by.start(of: ends[0]), by.start(of: ends[1]) != nil, ends[0] <= ends[1]
        else {
            throw ValidationError("--baseline \(baseline) is not two days FIRST..LAST in order, e.g. "
                                  + "2026-11-01..2026-11-07")
        }
        return first...ends[1]
    }
}

extension TrendPeriod: ExpressibleByArgument {}
