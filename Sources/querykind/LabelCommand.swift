import Annotator
import ArgumentParser
import Foundation
import LabelStore

/// `querykind label`: one pass that labels every row of the table not yet labeled by this model.
struct LabelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "label",
        abstract: "Label every unlabeled row of a table of queries, in batches, writing to query_labels.",
        discussion: """
            Each batch is normalized, deduplicated, looked up in label_cache, run through the model only on \
            misses, and written in one transaction: stopping or killing the run loses at most one batch, and \
            the next run carries on. SIGINT/SIGTERM finish the current batch first. Every run is recorded in \
            label_runs.
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var sourceOptions: SourceOptions
    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var labeling: LabelingOptions

    @Flag(name: .long, help: "Print the summary as one JSON object.")
    var json = false

    @Option(name: .long, help: ArgumentHelp(
        "When standard error is not a terminal (cron, systemd, a pipe), seconds between progress lines on it "
            + "(rows, rows/s, ETA); 0 for none. On a terminal a progress bar is drawn instead.", valueName: "seconds"))
    var progressInterval: Double = 60

    func validate() throws {
        try Seconds.check(progressInterval, option: "--progress-interval", allowZero: true)
    }

    func run() throws {
        let session = try labeling.openSession(database: database, source: sourceOptions, model: modelOptions)
        let stop = StopFlag()
        let signals = StopSignals.install(stop)
        defer { signals.forEach { $0.cancel() } }
        let bar = ProgressBar(lineInterval: progressInterval > 0 ? Seconds.duration(progressInterval) : nil)
        let summary = try LabelingJob(session: session, options: labeling.jobOptions(model: modelOptions), logger: .quiet)
            .labelAll(stop: stop, progress: bar.update) { live in
                FileHandle.standardError.write(Data(
                    "waiting for \(live) to end before labeling (--wait); SIGINT or SIGTERM gives up\n".utf8))
            }
        bar.finish()
        print(json ? try JSONOutput.line(summary) : Self.describe(summary))
        Self.warnIfUnrecorded(summary)
    }

    /// Says on standard error, in one line, when a stopped run's end could not be written (the database stayed
    /// locked): the process still exits 0, as after any stop.
    static func warnIfUnrecorded(_ summary: LabelingJob.Summary) {
        if let warning = summary.unrecordedWarning { FileHandle.standardError.write(Data((warning + "\n").utf8)) }
    }

    static func describe(_ summary: LabelingJob.Summary) -> String {
        let counters = summary.counters
        return "\(summary.status.rawValue): \(counters.scanned) rows scanned, \(counters.labeled) labeled, "
            + "\(counters.errors) with errors; \(counters.cacheHits) cache hits ("
            + String(format: "%.0f%%", counters.cacheHitRate * 100) + "), \(counters.inferences) inferences; "
            + String(format: "%.1f s", summary.seconds) + " (run \(summary.runID), model \(summary.model))"
    }
}
