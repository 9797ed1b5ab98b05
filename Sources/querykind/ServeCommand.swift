import Annotator
import BertClassifier
import ArgumentParser
import Foundation
import LabelStore
import Logging
import QueryServer

/// `querykind serve`: the HTTP API (and optionally the watch loop) in one long-running process.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Answer label lookups over HTTP (cache first, micro-batched model on misses); optionally watch.",
        discussion: """
            POST /v1/classify {"texts": [...]}, GET /v1/classify?text=..., GET /healthz, /readyz, /metrics, \
            /openapi.json; with --db also the reviews (/v1/reviews...) and the pages /review and /report. With \
            --api-key-file or $QUERYKIND_API_KEY every request but /healthz, /readyz, /metrics and the /review page \
            (its own requests send the key) needs Authorization: Bearer <key> (SIGHUP reloads the file); without a key it binds only loopback \
            addresses unless --allow-unauthenticated. With --db, \
            lookups read and fill that database's label_cache (the keys and model id label uses); --watch also \
            keeps the table labeled. HTTP misses go to the model in batches of up to --max-batch-tokens tokens, \
            one batch per --threads worker at a time; --inference-batch and the labeling options \
            (--rows-per-transaction, --relabel, --wait, --lease) apply only to the --watch loop. SIGINT/SIGTERM stop \
            accepting, answer the requests in flight, finish the watch batch and exit 0. Logs go to standard error.
            """)

    @Option(name: .long, help: "The address to listen on; one other than loopback (0.0.0.0) needs an API key.")
    var host = ServerSettings().host

    @Option(name: .long, help: ArgumentHelp(
        "A file of API keys, one per line (blank lines and # comments ignored), reloaded on SIGHUP; every request "
            + "but /healthz, /readyz, /metrics and /review then needs Authorization: Bearer <key>. Default: the one key in "
            + "$QUERYKIND_API_KEY, else none.", valueName: "file"))
    var apiKeyFile: String?

    @Flag(name: .long, help: "With API keys, also require one for /metrics.")
    var protectMetrics = false

    @Flag(name: .long, help: "Serve a --host other than loopback without an API key (behind your own gateway).")
    var allowUnauthenticated = false

    @Option(name: .long, help: ArgumentHelp(
        "A browser origin (https://app.example) allowed to call the API, or * for any; repeat for more.",
        valueName: "origin"))
    var corsAllowOrigin: [String] = []

    @Option(name: .long, help: "The TCP port; 0 picks a free one, named in the start log line.")
    var port = ServerSettings().port

    @Flag(name: .long, help: "Also run the watch loop on --db's table, labeling new rows as they arrive.")
    var watch = false

    @Option(name: .long, help: ArgumentHelp("With --watch, seconds between polls for new rows.", valueName: "seconds"))
    var interval: Double = 5

    @OptionGroup var database: CacheDatabaseOptions
    @OptionGroup var sourceOptions: SourceOptions
    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var uncertainOptions: UncertainOptions
    @OptionGroup var labeling: LabelingOptions

    @Option(name: .long, help: ArgumentHelp("Largest request body accepted; larger gets 413.", valueName: "bytes"))
    var maxBodyBytes = RequestLimits().maxBodyBytes

    @Option(name: .long, help: ArgumentHelp("Most texts in one POST; more gets 413.", valueName: "n"))
    var maxTexts = RequestLimits().maxTexts

    @Option(name: .long, help: ArgumentHelp(
        "Most distinct texts waiting for the model; more gets 429 with Retry-After. At least --max-texts.",
        valueName: "n"))
    var maxQueue = ServerSettings().inference.capacity

    @Option(name: .long, help: ArgumentHelp(
        "Most tokens waiting for the model (its queued work); more gets 429 with Retry-After, and a request whose "
            + "new texts alone need more gets 413. At least --max-batch-tokens.", valueName: "n"))
    var maxQueueTokens = ServerSettings().inference.tokenCapacity

    @Option(name: .long, help: ArgumentHelp(
        "Most tokens the model runs in one batch of HTTP misses (--inference-batch only sizes --watch's batches).",
        valueName: "n"))
    var maxBatchTokens = ServerSettings().inference.maxBatchTokens

    @Option(name: .long, help: ArgumentHelp(
        "Labels kept in memory (about 500 bytes each for short queries), in front of --db's cache or alone.",
        valueName: "n"))
    var memoryCache = ServerSettings().memoryCacheEntries

    @Option(name: .long, help: ArgumentHelp(
        "Most open connections; more get 503 and are closed. Keep it under the open-file limit (LimitNOFILE).",
        valueName: "n"))
    var maxConnections = ConnectionLimits().maxConnections

    @Option(name: .long, help: ArgumentHelp(
        "Seconds from a request's first byte to the end of its headers before the connection is closed.",
        valueName: "seconds"))
    var headerTimeout = Double(ConnectionLimits().headerTimeout.components.seconds)

    @Option(name: .long, help: ArgumentHelp(
        "Seconds a connection may send nothing (between requests or within a body) before it is closed.",
        valueName: "seconds"))
    var idleTimeout = Double(ConnectionLimits().idleTimeout.components.seconds)

    @Option(name: .long, help: ArgumentHelp(
        "After SIGTERM, seconds open connections get to finish before they are closed.", valueName: "seconds"))
    var shutdownTimeout = Double(ConnectionLimits().shutdownTimeout.components.seconds)

    func validate() throws {
        try Seconds.check(interval, option: "--interval", allowZero: false)
        for (seconds, option) in [(headerTimeout, "--header-timeout"), (idleTimeout, "--idle-timeout"),
                                  (shutdownTimeout, "--shutdown-timeout")] {
            try Seconds.check(seconds, option: option, allowZero: false)
        }
        if watch && database.db == nil { throw ValidationError("--watch needs --db") }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
        for (value, option) in [(maxBodyBytes, "--max-body-bytes"), (maxTexts, "--max-texts"),
                                (maxQueue, "--max-queue"), (maxQueueTokens, "--max-queue-tokens"),
                                (maxBatchTokens, "--max-batch-tokens"),
                                (memoryCache, "--memory-cache"), (maxConnections, "--max-connections")]
        where value < 1 {
            throw ValidationError("\(option) must be at least 1")
        }
        // A POST of --max-texts new texts could never be admitted: a 429 no retry can cure.
        guard maxQueue >= maxTexts else {
            throw ValidationError("--max-queue (\(maxQueue)) must be at least --max-texts (\(maxTexts)): a POST of "
                + "\(maxTexts) new texts would never fit in the queue")
        }
        guard maxQueueTokens >= maxBatchTokens else {
            throw ValidationError("--max-queue-tokens (\(maxQueueTokens)) must be at least --max-batch-tokens "
                + "(\(maxBatchTokens)): the queue could never hold one full batch")
        }
    }

    /// The API keys: `--api-key-file`'s, else `$QUERYKIND_API_KEY`'s; refuses to expose a keyless server.
    private func apiKeys() throws -> APIKeys? {
        let keys: APIKeys?
        do {
            keys = try apiKeyFile.map { try APIKeys(file: $0) }
                ?? ProcessInfo.processInfo.environment["QUERYKIND_API_KEY"].flatMap(APIKeys.init(key:))
        } catch let problem as APIKeys.KeyFileProblem {
            throw CommandFailure(problem.description)
        }
        if keys == nil && !allowUnauthenticated && !AccessSettings.isLoopback(host) {
            throw CommandFailure("refusing to serve --host \(host) without an API key: anyone who reaches it could "
                + "use it; pass --api-key-file FILE or set QUERYKIND_API_KEY (or --allow-unauthenticated behind "
                + "your own gateway)")
        }
        return keys
    }

    func run() async throws {
        let access = AccessSettings(apiKeys: try apiKeys(), protectsMetrics: protectMetrics,
                                    corsAllowOrigins: corsAllowOrigin)
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        HeapTrimmer.start()
        let metrics = ServerMetrics()
        let inference = InferenceQueue.Limits(workers: try modelOptions.settings().threads ?? 1,
                                              maxBatchTokens: maxBatchTokens, capacity: maxQueue,
                                              tokenCapacity: maxQueueTokens)
        let settings = ServerSettings(
            host: host, port: port, requests: RequestLimits(maxBodyBytes: maxBodyBytes, maxTexts: maxTexts),
            memoryCacheEntries: memoryCache, inference: inference,
            connections: ConnectionLimits(maxConnections: maxConnections,
                                          headerTimeout: Seconds.duration(headerTimeout),
                                          idleTimeout: Seconds.duration(idleTimeout),
                                          shutdownTimeout: Seconds.duration(shutdownTimeout)),
            access: access, uncertainMargin: try uncertainOptions.margin())

        // The database is set up once, here, in `LabelDatabase.setUp`'s order (checked, then the model loaded, then
        // migrated), so a refused start writes nothing; the server then only opens its connections.
        let store = try database.open(lease: labeling.leaseDuration)
        let classifier: QueryClassifier
        var watchJob: WatchJob?
        if watch, let store {
            let session = try LabelingSession.open(store: store, source: sourceOptions.source) {
                try modelOptions.loadClassifier()
            }
            classifier = session.classifier
            watchJob = WatchJob(LabelingJob(session: session, options: labeling.jobOptions(model: modelOptions)),
                                waitsForLiveRun: labeling.wait)
        } else {
            classifier = try store?.setUp(for: nil) { try modelOptions.loadClassifier() } ?? modelOptions.loadClassifier()
        }
        let server = LabelServer(
            classifier: classifier,
            database: database.db.map { [timeout = database.timeout.duration, lease = labeling.leaseDuration] db in
                .init(description: LabelDatabaseOpener.display(db)) {
                    try LabelDatabaseOpener.open(db, busyTimeout: timeout, lease: lease)
                }
            },
            settings: settings, metrics: metrics, logger: Logger(label: "querykind.serve"))
        try await server.run(watch: watchJob, watchInterval: Seconds.duration(interval))
    }
}
