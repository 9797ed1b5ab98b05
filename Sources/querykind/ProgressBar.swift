import Annotator
import Foundation

/// A `label` run's progress on standard error: rows done of the rows that were pending, rows/s, ETA and cache hit
/// rate. On a terminal, a one-line bar redrawn at most ten times a second; elsewhere (cron, systemd, a pipe), one
/// plain line every `lineInterval`, so that a log shows a long run moving instead of only its final line. Lines
/// come after a batch is written, so a batch that takes longer than the interval spaces them out.
final class ProgressBar {
    private let terminal = isatty(STDERR_FILENO) == 1
    /// Between two lines off a terminal; nil for none.
    private let lineInterval: Duration?
    private var lastDraw: ContinuousClock.Instant

    init(lineInterval: Duration?) {
        self.lineInterval = lineInterval
        // A bar draws at once; the first line waits one interval (a short run prints only its summary).
        lastDraw = ContinuousClock.now - (terminal ? .seconds(1) : .zero)
    }

    func update(_ progress: LabelingJob.Progress) {
        let now = ContinuousClock.now
        if terminal {
            guard now - lastDraw >= .milliseconds(100) else { return }
            lastDraw = now
            let done = progress.counters.scanned
            let total = max(progress.pendingAtStart, done)
            let width = 30
            let filled = total == 0 ? width : width * done / total
            let bar = "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] "
            FileHandle.standardError.write(Data(("\r" + bar + Self.figures(progress) + "\u{1B}[K").utf8))
        } else if let lineInterval, now - lastDraw >= lineInterval {
            lastDraw = now
            FileHandle.standardError.write(Data(("progress: " + Self.figures(progress) + "\n").utf8))
        }
    }

    /// Clears the bar before the summary line is printed.
    func finish() {
        guard terminal else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }

    /// "4096/10000 rows  850 rows/s  ETA 0m07s  cache hits 30%".
    static func figures(_ progress: LabelingJob.Progress) -> String {
        let done = progress.counters.scanned
        let total = max(progress.pendingAtStart, done)
        let seconds = max(progress.elapsed / .seconds(1), 1e-3)
        let rate = Double(done) / seconds
        let eta = rate > 0 ? format(seconds: Double(total - done) / rate) : "?"
        return "\(done)/\(total) rows  \(Int(rate)) rows/s  ETA \(eta)  cache hits "
            + String(format: "%.0f%%", progress.counters.cacheHitRate * 100)
    }

    static func format(seconds: Double) -> String {
        let total = Int(seconds.rounded())
        return total >= 3600 ? "\(total / 3600)h\(total % 3600 / 60)m" : "\(total / 60)m\(total % 60)s"
    }
}
