import Foundation
import LabelStore

/// `report --by` for a person: one line per period with a stacked bar of its kinds in Unicode blocks, its figures
/// and its drift.
enum TrendRendering {
    /// The block each category fills its share of the bar with, in `TrendReport.Kinds.counts` order.
    static let blocks: [(name: String, block: Character)] = [
        ("keyword", "█"), ("question", "▓"), ("statement", "▒"), ("error", "░"),
    ]

    /// Characters in a period's bar.
    static let barWidth = 20

    static func render(_ report: TrendReport) -> String {
        var lines = ["Labels per \(report.by.rawValue) by \(report.timeColumn)"
                     + (report.since.map { ", since \($0)Z" } ?? "") + (report.until.map { ", until \($0)Z" } ?? "")
                     + ":"]
        guard let baseline = report.baseline else {
            lines.append("  no labeled rows" + (report.since == nil && report.until == nil ? "" : " in this range"))
            return lines.joined(separator: "\n")
        }
        lines.append("  bar: " + blocks.map { "\($0.block) \($0.name)" }.joined(separator: "  "))
        lines.append("  " + padded("start", 11) + "rows".leftPadded(8) + "  " + padded("kinds", barWidth)
                     + " uncertain  p_keyword p_question  cache  accuracy~  drift")
        for period in report.periods {
            lines.append("  " + padded(period.start, 11) + String(period.rows).leftPadded(8) + "  "
                         + bar(period.kinds) + " " + percent(period.uncertainShare).leftPadded(9)
                         + number(period.meanPKeyword).leftPadded(11) + number(period.meanPQuestion).leftPadded(11)
                         + percent(period.cacheHitShare).leftPadded(7) + percent(period.estimatedAccuracy).leftPadded(11)
                         + number(period.drift).leftPadded(7) + (period.drifted ? "  DRIFTED" : ""))
        }
        lines.append("  baseline: \(baseline.first)..\(baseline.last) (\(baseline.periods) periods, "
                     + "\(baseline.kinds.total) rows); drifted: drift past \(number(report.driftThreshold)); "
                     + "accuracy~ is an estimate from confidence")
        if report.rowsWithoutTime > 0 {
            lines.append("  \(report.rowsWithoutTime) labeled rows have no readable \(report.timeColumn)")
        }
        return lines.joined(separator: "\n")
    }

    /// `kinds` as `barWidth` blocks, each category's share rounded so the bar is always full (blank when empty).
    static func bar(_ kinds: TrendReport.Kinds) -> String {
        let total = kinds.total
        guard total > 0 else { return String(repeating: " ", count: barWidth) }
        let position = { (rows: Int) in (rows * barWidth + total / 2) / total }
        var (bar, cumulative) = ("", 0)
        for (count, entry) in zip(kinds.counts, blocks) {
            bar += String(repeating: entry.block, count: position(cumulative + count) - position(cumulative))
            cumulative += count
        }
        return bar
    }

    private static func percent(_ share: Double?) -> String {
        share.map { String(format: "%.1f%%", $0 * 100) } ?? "-"
    }

    private static func number(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "-" }
}
