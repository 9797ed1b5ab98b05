import Annotator
import ArgumentParser
import Logging

/// `--batch-size` and `--relabel`, shared by `label` and `watch`, and the setup both commands do.
struct LabelingOptions: ParsableArguments {
    @Option(name: .long, help: "Rows per batch (one write transaction each).")
    var batchSize: Int = LabelingJob.Options().batchSize

    @Flag(name: .long, help: "Also relabel rows labeled by a different model.")
    var relabel = false

    func validate() throws {
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1") }
    }

    var jobOptions: LabelingJob.Options { .init(batchSize: batchSize, relabel: relabel) }

    /// Checks the database, table and model, in an order that writes nothing when any is wrong.
    func openSession(database: DatabaseOptions, source: SourceOptions, model: ModelOptions) throws -> LabelingSession {
        try LabelingSession.open(databasePath: database.db, source: source.source,
                                 busyTimeout: database.busyTimeoutDuration) { try model.loadClassifier() }
    }
}

extension Logger {
    /// A logger that only reports errors (for `label`, which prints its own summary).
    static var quiet: Logger {
        var logger = Logger(label: "querykind.annotator")
        logger.logLevel = .error
        return logger
    }
}
