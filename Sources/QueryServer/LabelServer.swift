import Annotator
import BertClassifier
import Foundation
import Hummingbird
import LabelStore
import Logging
import Metrics
import NIOCore
import SQLiteStore
import ServiceLifecycle

/// `querykind serve`: the HTTP API over one loaded model, with the database's label cache (optional) and the watch
/// loop (optional) in the same process.
///
/// Why: another tool asking for a label should not pay for starting a process and loading the model; a server
/// keeps both warm, answers cache hits from memory and batches concurrent misses. It runs until SIGTERM or SIGINT,
/// then stops accepting connections, answers the requests in flight, lets the watch loop finish its batch and
/// writes the pending cache entries before returning.
public struct LabelServer {
    /// A database to read and fill `label_cache` in (SQLite or PostgreSQL), already set up for this model
    /// (`LabelDatabase.setUp`): what the start line calls it, and how to open one connection to it (the reader and
    /// the writer each get their own).
    public struct Database: Sendable {
        public var description: String
        public var open: @Sendable () throws -> any LabelDatabase

        public init(description: String, open: @escaping @Sendable () throws -> any LabelDatabase) {
            self.description = description
            self.open = open
        }
    }

    private let classifier: QueryClassifier
    private let database: Database?
    private let settings: ServerSettings
    private let metrics: ServerMetrics
    private let logger: Logger

    /// `metrics` is the server's own registry (`ServerMetrics()`): what `/metrics` prints, the HTTP requests'
    /// metrics included; nothing is bound process-wide.
    public init(classifier: QueryClassifier, database: Database?, settings: ServerSettings, metrics: ServerMetrics,
                logger: Logger) {
        self.classifier = classifier
        self.database = database
        self.settings = settings
        self.metrics = metrics
        self.logger = logger
    }

    /// Serves until a shutdown signal; with `watch`, also runs that labeling job every `watchInterval`.
    public func run(watch: WatchJob? = nil, watchInterval: Duration = .seconds(5)) async throws {
        fitOpenFileLimit()
        let watchStatus = watch.map { _ in WatchStatus() }
        let startLine = startDescription()
        let keyReloads = settings.access.apiKeys?.reloadingOnHangUp(logger: logger)
        defer { keyReloads?.cancel() }
        try await withApplication(watch: watchStatus, onServerRunning: { [logger] channel in
            let port = channel.localAddress?.port ?? 0
            logger.info("listening on http://\(startLine.host):\(port)", metadata: startLine.metadata)
        }) { app in
            var services: [any Service] = [app]
            if let watch, let watchStatus {
                // Before the server binds: a refused watch (one labeler per table) ends `serve` before it listens.
                services.append(try await WatchService.start(job: watch, interval: watchInterval, metrics: metrics,
                                                             status: watchStatus, logger: logger))
            }
            let group = ServiceGroup(configuration: .init(
                services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: quietLogger))
            do {
                try await group.run()
            } catch {
                if let failure = ListenFailure(error, address: "\(startLine.host):\(settings.port)") { throw failure }
                logger.error("server stopped on an error", metadata: ["error": "\(error)"])
                throw error
            }
        }
        logger.info("stopped")
    }

    /// The application `run` serves, built and not yet bound, for `body` to run: routes, limits and metrics over a
    /// `CacheFirstLabeler` on the database's connections, which closes (the model's work finished, the cache's
    /// pending writes written) once `body` returns. Tests drive it in-process (HummingbirdTesting).
    func withApplication<Value>(
        watch: WatchStatus? = nil,
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in },
        _ body: (Application<RouterResponder<ServeRequestContext>>) async throws -> Value
    ) async throws -> Value {
        let connections = try database.map { database in
            CacheFirstLabeler.Connections(reader: try database.open(), writer: try database.open())
        }
        // The SQLite file as the reader opened it, for /readyz to tell when it was deleted or replaced.
        let file = (connections?.reader as? SQLiteLabelStore).flatMap { DatabaseFileIdentity(path: $0.path) }
        let labeler = CacheFirstLabeler(classifier: classifier, memoryCapacity: settings.memoryCacheEntries,
                                        limits: settings.inference, database: connections, logger: logger,
                                        onBatch: { [metrics] in metrics.record($0) })
        defer { labeler.close() }

        let router = Router(context: ServeRequestContext.self, options: .autoGenerateHeadEndpoints)
        let routes = RouteMethods()
        // Metrics outside the error bodies, so failed requests are counted and timed as answers too.
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: ModelHeaderMiddleware(modelID: labeler.modelID))
        if !settings.access.corsAllowOrigins.isEmpty {
            router.add(middleware: CORSOriginsMiddleware(origins: settings.access.corsAllowOrigins))
        }
        router.add(middleware: ErrorBodyMiddleware(routes: routes))
        if let keys = settings.access.apiKeys {
            router.add(middleware: AuthMiddleware(keys: keys, openPaths: settings.access.openPaths))
        }
        ClassifyRoutes(labeler: labeler, limits: settings.requests, metrics: metrics,
                       defaultMargin: settings.uncertainMargin).register(on: router, in: routes)
        InfoRoute(labeler: labeler, settings: settings, databaseAttached: connections != nil)
            .register(on: router, in: routes)
        OperationsRoutes(labeler: labeler, metrics: metrics,
                         readiness: Readiness(file: file, labeler: labeler, watch: watch))
            .register(on: router, in: routes)
        let counter = try database.map { ReviewCounter(desk: ReviewDesk(classifier: classifier, store: try $0.open())) }
        ReviewRoutes(labeler: labeler, counter: counter, maxBodyBytes: settings.requests.maxBodyBytes, logger: logger)
            .register(on: router, in: routes)
        ReportRoute(database: database, logger: logger).register(on: router, in: routes)
        let app = Application(
            router: router,
            server: ServeChannel.server(limits: settings.connections),
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "querykind"),
            onServerRunning: onServerRunning,
            logger: quietLogger)
        // Hummingbird's `MetricsMiddleware` creates its request metrics from `MetricsSystem.factory` as requests
        // arrive; bound to the server's factory for the tasks that run the application, they land in its registry.
        return try await withMetricsFactory(metrics.factory) { try await body(app) }
    }

    /// Hummingbird's and ServiceLifecycle's logger: warnings and errors only.
    private var quietLogger: Logger {
        var quiet = logger
        quiet.logLevel = .warning
        return quiet
    }

    /// The address cannot be bound: one line naming it and what to do, instead of NIO's
    /// `bind(descriptor:ptr:bytes:): Address already in use) (errno: 98)` or `SocketAddressError.UnknownHost: ...`.
    public struct ListenFailure: Error, CustomStringConvertible {
        public let description: String

        /// The failure `error` means when binding `address` threw it; nil for errors that are not binding's.
        init?(_ error: any Error, address: String) {
            let reason: String
            switch error {
            case let error as IOError where error.errnoCode == EADDRINUSE:
                reason = "another process already listens there; stop it or pick another --port"
            case let error as IOError where error.errnoCode == EACCES:
                reason = "ports below 1024 need privileges; pick a --port from 1024 up"
            case let error as IOError where error.errnoCode == EADDRNOTAVAIL:
                reason = "no network interface has that address; pick another --host"
            case is SocketAddressError.UnknownHost, is SocketAddressError:
                reason = "--host is neither an IP address nor a name this machine resolves; pass an address such as "
                    + "127.0.0.1 or 0.0.0.0"
            default:
                return nil
            }
            description = "cannot listen on \(address): \(reason)"
        }
    }

    /// Raises the soft open-file limit to what `--max-connections` needs (a descriptor per connection plus a reserve
    /// for the database, the model and the event loops) where the hard limit allows, and warns where it does not:
    /// past the limit accepting fails and even `/healthz` goes unanswered, which the connection cap is there to stop.
    private func fitOpenFileLimit() {
        #if canImport(Glibc)
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        #else
        let resource = RLIMIT_NOFILE
        #endif
        let needed = rlim_t(settings.connections.maxConnections + 128)
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0, limit.rlim_cur < needed else { return }
        var raised = limit
        raised.rlim_cur = min(needed, limit.rlim_max)
        let current = setrlimit(resource, &raised) == 0 ? raised.rlim_cur : limit.rlim_cur
        if current < needed {
            logger.warning("""
                the open-file limit (\(current)) is below the \(needed) that --max-connections \
                \(settings.connections.maxConnections) needs; raise it (ulimit -n, LimitNOFILE=) or lower \
                --max-connections
                """)
        }
    }

    private func startDescription() -> (host: String, metadata: Logger.Metadata) {
        let host = settings.host.contains(":") ? "[\(settings.host)]" : settings.host
        return (host, [
            "model": "\(classifier.modelID)",
            "precision": "\(classifier.precision.rawValue)\(classifier.precisionFallback.map { " (\($0))" } ?? "")",
            "database": "\(database?.description ?? "none (memory cache of \(settings.memoryCacheEntries) labels)")",
            "workers": "\(settings.inference.workers)",
            "auth": "\(settings.access.apiKeys.map { "API key (\($0.count) accepted)" } ?? "none")",
        ])
    }
}
