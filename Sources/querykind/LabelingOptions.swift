import Annotator
import ArgumentParser
import LabelStore
import Logging

/// `--rows-per-transaction`, `--relabel` and `--wait`, shared by `label` and `watch`, and the setup both commands do.
struct LabelingOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Source rows read, labeled and written per batch, in one write transaction each (the most a crash can "
            + "lose); not to be confused with --inference-batch, the texts per model call.", valueName: "n"))
    var rowsPerTransaction: Int = LabelingJob.Options().rowsPerTransaction

    @Flag(name: .long, help: "Also relabel rows labeled by a different model.")
    var relabel = false

    @Flag(name: .long, help: ArgumentHelp(
        "When another live label or watch run holds this table with this model, wait for it to end "
            + "instead of refusing at once."))
    var wait = false

    @Option(name: .long, help: ArgumentHelp(
        "PostgreSQL only: seconds a claimed batch stays reserved for this worker without renewal (renewed every "
            + "third of it while the process lives); a killed worker's rows go to the others after it.",
        valueName: "seconds"))
    var lease: Double = Seconds.of(StoreDefaults.lease)

    func validate() throws {
        guard rowsPerTransaction >= 1 else { throw ValidationError("--rows-per-transaction must be at least 1") }
        try Seconds.check(lease, option: "--lease", allowZero: false)
    }

    /// The job's options, with the model's `--inference-batch`.
    func jobOptions(model: ModelOptions) -> LabelingJob.Options {
        .init(rowsPerTransaction: rowsPerTransaction, inferenceBatchSize: model.inferenceBatch, relabel: relabel,
              waitForLiveRun: wait)
    }

    /// Checks the database, table and model, in an order that writes nothing when any is wrong.
    func openSession(database: DatabaseOptions, source: SourceOptions, model: ModelOptions) throws -> LabelingSession {
        try LabelingSession.open(store: database.openForLabeling(lease: leaseDuration),
                                 source: source.source) { try model.loadClassifier() }
    }

    /// `--lease` as a duration.
    var leaseDuration: Duration { Seconds.duration(lease) }
}

extension Logger {
    /// A logger that only reports errors (for `label`, which prints its own summary).
    static var quiet: Logger {
        var logger = Logger(label: "querykind.annotator")
        logger.logLevel = .error
        return logger
    }
}
