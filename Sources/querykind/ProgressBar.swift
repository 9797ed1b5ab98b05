import Annotator
import Foundation

/// A one-line progress bar on standard error, drawn only when it is a terminal: rows done of the rows that
/// were pending, rows/s, ETA and cache hit rate. Redraws at most ten times a second.
final class ProgressBar {
    private let enabled = isatty(STDERR_FILENO) == 1
    private var lastDraw = ContinuousClock.now - .seconds(1)

    func update(_ progress: LabelingJob.Progress) {
        guard enabled, ContinuousClock.now - lastDraw >= .milliseconds(100) else { return }
        lastDraw = ContinuousClock.now
        let done = progress.counters.scanned
        let total = max(progress.pendingAtStart, done)
        let seconds = max(progress.elapsed / .seconds(1), 1e-3)
        let rate = Double(done) / seconds
        let width = 30
        let filled = total == 0 ? width : width * done / total
        let eta = rate > 0 ? Self.format(seconds: Double(total - done) / rate) : "?"
        let line = "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] "
            + "\(done)/\(total) rows  \(Int(rate)) rows/s  ETA \(eta)  cache hits "
            + String(format: "%.0f%%", progress.counters.cacheHitRate * 100)
        FileHandle.standardError.write(Data(("\r" + line + "\u{1B}[K").utf8))
    }

    /// Clears the bar before the summary line is printed.
    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }

    static func format(seconds: Double) -> String {
        let total = Int(seconds.rounded())
        return total >= 3600 ? "\(total / 3600)h\(total % 3600 / 60)m" : "\(total / 60)m\(total % 60)s"
    }
}
