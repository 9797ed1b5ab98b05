import Foundation

/// `report --by … --html FILE` and `serve --db`'s `GET /report`: one self-contained page (inline SVG and CSS, nothing
/// fetched, no script) with the kinds stacked per period, the drift line with its threshold, each head's confidence
/// histogram, the least confident labels of the latest period, and a table of every figure of the JSON (each cell's
/// exact value in its `data-value`, so a test can compare the two).
///
/// Why here, beside `TrendReport`: the command line and the server both render it, and both import the store.
public enum TrendPage {
    /// Each category's colour, in `TrendReport.Kinds.counts` order (Tableau 10: tells apart in print and for the
    /// common colour blindnesses).
    static let colours = [("keyword", "#4e79a7"), ("question", "#f28e2b"), ("statement", "#59a14f"), ("error", "#e15759")]

    public static func html(_ report: TrendReport, details: TrendDetails) -> String {
        let range = (report.since.map { " from \($0)Z" } ?? "") + (report.until.map { " until \($0)Z" } ?? "")
        let baseline = report.baseline.map {
            "baseline \($0.first) to \($0.last) (\($0.periods) periods, \($0.kinds.total) rows)"
        } ?? "no rows"
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>querykind trends</title>
            <style>
            body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #222; max-width: 1000px; }
            h1 { font-size: 20px; } h2 { font-size: 16px; margin-top: 28px; }
            table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
            td, th { padding: 2px 6px; border-bottom: 1px solid #ddd; text-align: right; white-space: nowrap; font-size: 12px; }
            td.text { text-align: left; white-space: normal; } tr.drifted td { background: #fde8e8; }
            .legend span { display: inline-block; margin-right: 16px; }
            .legend i { display: inline-block; width: 12px; height: 12px; margin-right: 4px; vertical-align: -1px; }
            svg text { font-size: 11px; fill: #555; }
            </style></head><body>
            <h1>Query kinds per \(report.by.rawValue) by \(escape(report.timeColumn))\(range)</h1>
            <p>\(escape(baseline)); drift is the Jensen–Shannon distance (base 2) of a period's kinds from the \
            baseline's, drifted past \(report.driftThreshold). Estimated accuracy is an estimate from confidence, \
            not a measurement.\(report.rowsWithoutTime > 0 ? " \(report.rowsWithoutTime) labeled rows have no readable time." : "")</p>
            <h2>Kinds per \(report.by.rawValue)</h2>
            <p class="legend">\(colours.map { "<span><i style=\"background:\($0.1)\"></i>\($0.0)</span>" }.joined())</p>
            \(kindsChart(report))
            <h2>Drift from the baseline</h2>
            \(driftChart(report))
            <h2>Confidence</h2>
            \(histogram("p_keyword", details.keywordHistogram))\(histogram("p_question", details.questionHistogram))
            <h2>Least confident labels of the latest \(report.by.rawValue)</h2>
            \(examplesTable(details.leastConfident))
            <h2>The numbers</h2>
            \(numbersTable(report))
            </body></html>

            """
    }

    private static let (width, height, left, bottom) = (960.0, 240.0, 48.0, 22.0)  // chart size and margins, px

    /// The x of period `index`'s bar and the bar's width.
    private static func slot(_ index: Int, of count: Int) -> (x: Double, width: Double) {
        let step = (width - left) / Double(max(count, 1))
        return (left + Double(index) * step + step * 0.1, step * 0.8)
    }

    private static func kindsChart(_ report: TrendReport) -> String {
        let most = Double(max(report.periods.map(\.rows).max() ?? 1, 1))
        let plot = height - bottom
        var svg = "<svg id=\"kinds\" width=\"\(Int(width))\" height=\"\(Int(height))\" role=\"img\">"
            + "<text x=\"0\" y=\"12\">\(Int(most))</text><text x=\"0\" y=\"\(Int(plot))\">0</text>"
        for (index, period) in report.periods.enumerated() {
            let (x, barWidth) = slot(index, of: report.periods.count)
            var y = plot
            svg += "<g class=\"period\" data-start=\"\(period.start)\">"
            for (count, colour) in zip(period.kinds.counts, colours) where count > 0 {
                let size = plot * Double(count) / most
                y -= size
                svg += "<rect class=\"\(colour.0)\" x=\"\(format(x))\" y=\"\(format(y))\" width=\"\(format(barWidth))\" "
                    + "height=\"\(format(size))\" fill=\"\(colour.1)\"><title>\(period.start) \(colour.0): \(count)</title></rect>"
            }
            svg += "</g>"
            if index % ((report.periods.count + 7) / 8) == 0 {
                svg += "<text x=\"\(format(x))\" y=\"\(Int(height - 6))\">\(period.start)</text>"
            }
        }
        return svg + "</svg>"
    }

    private static func driftChart(_ report: TrendReport) -> String {
        let plot = height - bottom
        let top = max(report.periods.compactMap(\.drift).max() ?? 0, report.driftThreshold) * 1.1
        let y = { (value: Double) in plot - plot * value / top }
        var svg = "<svg id=\"drift\" width=\"\(Int(width))\" height=\"\(Int(height))\" role=\"img\">"
            + "<text x=\"0\" y=\"12\">\(format(top))</text><text x=\"0\" y=\"\(Int(plot))\">0</text>"
            + "<line class=\"threshold\" x1=\"\(Int(left))\" x2=\"\(Int(width))\" y1=\"\(format(y(report.driftThreshold)))\" "
            + "y2=\"\(format(y(report.driftThreshold)))\" stroke=\"#e15759\" stroke-dasharray=\"6 4\"/>"
            + "<text x=\"\(Int(left) + 4)\" y=\"\(format(y(report.driftThreshold) - 4))\">threshold \(report.driftThreshold)</text>"
        var points: [String] = []
        var dots = ""
        for (index, period) in report.periods.enumerated() {
            guard let drift = period.drift else { continue }
            let (x, barWidth) = slot(index, of: report.periods.count)
            let point = "\(format(x + barWidth / 2)),\(format(y(drift)))"
            points.append(point)
            dots += "<circle cx=\"\(format(x + barWidth / 2))\" cy=\"\(format(y(drift)))\" r=\"3\" "
                + "fill=\"\(period.drifted ? "#e15759" : "#4e79a7")\"><title>\(period.start): \(format(drift))</title></circle>"
        }
        svg += "<polyline class=\"drift\" fill=\"none\" stroke=\"#4e79a7\" stroke-width=\"2\" points=\"\(points.joined(separator: " "))\"/>"
        return svg + dots + "</svg>"
    }

    private static func histogram(_ head: String, _ bins: [Int]) -> String {
        let (chartWidth, chartHeight) = (460.0, 180.0)
        let plot = chartHeight - bottom
        let most = Double(max(bins.max() ?? 1, 1))
        let step = (chartWidth - 10) / Double(bins.count)
        var svg = "<svg id=\"hist-\(head)\" width=\"\(Int(chartWidth))\" height=\"\(Int(chartHeight))\" role=\"img\">"
            + "<text x=\"10\" y=\"12\">\(head)</text>"
        for (index, count) in bins.enumerated() {
            let size = (plot - 18) * Double(count) / most
            svg += "<rect x=\"\(format(10 + Double(index) * step))\" y=\"\(format(plot - size))\" width=\"\(format(step - 2))\" "
                + "height=\"\(format(size))\" fill=\"#76b7b2\"><title>\(head) \(format(Double(index) / 10))–"
                + "\(format(Double(index + 1) / 10)): \(count)</title></rect>"
            if index % 2 == 0 {
                svg += "<text x=\"\(format(10 + Double(index) * step))\" y=\"\(Int(chartHeight - 6))\">\(format(Double(index) / 10))</text>"
            }
        }
        return svg + "</svg>"
    }

    private static func examplesTable(_ examples: [LabelReport.Example]) -> String {
        guard !examples.isEmpty else { return "<p>No labeled rows in the latest period.</p>" }
        return "<table id=\"examples\"><tr><th>id</th><th>kind</th><th>p_keyword</th><th>p_question</th><th>text</th></tr>"
            + examples.map { example in
                "<tr><td>\(example.queryID)</td><td>\(example.label.kind)</td><td>\(format(example.label.pKeyword))</td>"
                    + "<td>\(format(example.label.pQuestion))</td><td class=\"text\">\(escape(example.text ?? ""))</td></tr>"
            }.joined() + "</table>"
    }

    /// The columns of the numbers table: each period key of the JSON (`kinds` split into its four).
    static let columns: [(key: String, value: @Sendable (TrendReport.Period) -> String)] = [
        ("start", { $0.start }), ("rows", { "\($0.rows)" }),
        ("keyword", { "\($0.kinds.keyword)" }), ("question", { "\($0.kinds.question)" }),
        ("statement", { "\($0.kinds.statement)" }), ("error", { "\($0.kinds.error)" }),
        ("uncertain_share", { exact($0.uncertainShare) }), ("mean_p_keyword", { exact($0.meanPKeyword) }),
        ("mean_p_question", { exact($0.meanPQuestion) }), ("cache_hit_share", { exact($0.cacheHitShare) }),
        ("reviewed_share", { $0.reviewedShare.map(exact) ?? "" }),
        ("estimated_accuracy", { exact($0.estimatedAccuracy) }), ("drift", { exact($0.drift) }),
        ("drifted", { $0.drifted ? "true" : "false" }),
    ]

    private static func numbersTable(_ report: TrendReport) -> String {
        "<table id=\"numbers\"><tr>" + columns.map { "<th>\($0.key)</th>" }.joined() + "</tr>"
            + report.periods.map { period in
                "<tr class=\"period\(period.drifted ? " drifted" : "")\">" + columns.map { column in
                    let value = column.value(period)
                    let shown = Double(value).map { value.contains(".") ? format($0) : value } ?? value
                    return "<td data-key=\"\(column.key)\" data-value=\"\(value)\">\(shown)</td>"
                }.joined() + "</tr>"
            }.joined() + "</table>"
    }

    /// A number as `data-value` holds it: the shortest text that reads back as the same double; empty for null.
    private static func exact(_ value: Double?) -> String { value.map { "\($0)" } ?? "" }

    private static func format(_ value: Double) -> String { String(format: "%.3f", value) }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
