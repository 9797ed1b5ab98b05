import Annotator
import ArgumentParser
import Logging

/// `querykind watch`: the daemon form of `label`, labeling new rows as they arrive until SIGINT/SIGTERM.
struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Keep labeling new rows as they arrive, until SIGINT or SIGTERM.",
        discussion: """
            Polls every --interval seconds. On SIGINT/SIGTERM it finishes the current batch, marks its \
            label_runs row finished (interrupted while it was retrying a database failure) and exits 0. Logs go \
            to standard error.
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var sourceOptions: SourceOptions
    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var labeling: LabelingOptions

    @Option(name: .long, help: ArgumentHelp("Seconds between polls for new rows.", valueName: "seconds"))
    var interval: Double = 5

    func validate() throws {
        try Seconds.check(interval, option: "--interval", allowZero: false)
    }

    func run() throws {
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        HeapTrimmer.start()
        let session = try labeling.openSession(database: database, source: sourceOptions, model: modelOptions)
        let stop = StopFlag()
        let signals = StopSignals.install(stop)
        defer { signals.forEach { $0.cancel() } }
        let summary = try LabelingJob(session: session, options: labeling.jobOptions(model: modelOptions))
            .watch(interval: Seconds.duration(interval), stop: stop)
        print(LabelCommand.describe(summary))
        LabelCommand.warnIfUnrecorded(summary)
    }
}
