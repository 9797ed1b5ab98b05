import ArgumentParser
import Foundation
import LabelStore

/// `querykind report`: what is in the label database, for a person (or `--json` for a script).
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Summarize labels: counts by kind, confidence histograms, least confident rows, cache, runs; "
            + "or with --by, per period with drift.")

    @OptionGroup var database: DatabaseOptions

    @Flag(name: .long, help: "Print the report as one JSON object.")
    var json = false

    @OptionGroup var trend: TrendOptions

    func run() throws {
        let store = try database.open(for: .readOnly)
        if let request = try trend.request() {
            let report = try store.trends(request)
            if let html = trend.html {
                let page = TrendPage.html(report, details: try store.trendDetails(request, report: report))
                do {
                    try page.write(toFile: html, atomically: true, encoding: .utf8)
                } catch {
                    throw CommandFailure("cannot write the page to \(html) (\(error.localizedDescription)); "
                                         + "name a file in a folder you can write to")
                }
            }
            print(json ? try JSONOutput.line(report, pretty: true) : TrendRendering.render(report))
            return
        }
        let report = try store.report()
        print(json ? try JSONOutput.line(report, pretty: true) : Self.render(report))
    }

    static func render(_ report: LabelReport) -> String {
        var lines = ["Labels by kind:"]
        for count in report.byKind {
            lines.append("  " + padded(count.kind ?? "(error)", 10)
                         + " \(String(count.count).leftPadded(8))  \(count.model)")
        }
        for error in report.errors { lines.append("  error: \(error.error) (\(error.count))") }
        lines.append("Confidence histograms (bins of 0.1):")
        lines.append("  p_keyword   " + report.keywordHistogram.map { String($0).leftPadded(6) }.joined())
        lines.append("  p_question  " + report.questionHistogram.map { String($0).leftPadded(6) }.joined())
        lines.append("Least confident:")
        for example in report.leastConfident {
            lines.append("  #\(example.queryID) \(example.label.kind) "
                         + String(format: "p_keyword %.3f p_question %.3f  ", example.label.pKeyword,
                                  example.label.pQuestion) + (example.text ?? "")
                         + (example.rows > 1 ? "  (\(example.rows) rows)" : ""))
        }
        lines.append("Cache: \(report.cache.entries) entries, \(report.cache.hits) hits, hit rate "
                     + String(format: "%.1f%%", report.cache.hitRate * 100))
        lines.append("Recent runs:")
        for run in report.recentRuns {
            let counters = run.counters
            lines.append("  #\(run.id) \(run.command) \(run.status) \(run.startedAt) → \(run.endedAt ?? "…"): "
                         + "\(counters.scanned) scanned, \(counters.labeled) labeled, \(counters.errors) errors, "
                         + "\(counters.cacheHits) cache hits, \(counters.inferences) inferences"
                         + (run.error.map { " (\($0))" } ?? ""))
        }
        return lines.joined(separator: "\n")
    }
}

extension String {
    /// Right-aligns the string in `width` columns.
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
