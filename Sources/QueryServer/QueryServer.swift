import Annotator
import BertClassifier
import Foundation
import Hummingbird
import LabelStore
import Logging
import NIOCore
import ServiceLifecycle

/// `querykind serve`: the HTTP API over one loaded model, with the database's label cache (optional) and the watch
/// loop (optional) in the same process.
///
/// Why: another tool asking for a label should not pay for starting a process and loading the model; a server
/// keeps both warm, answers cache hits from memory and batches concurrent misses. It runs until SIGTERM or SIGINT,
/// then stops accepting connections, answers the requests in flight, lets the watch loop finish its batch and
/// writes the pending cache entries before returning.
public struct QueryServer {
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

    /// `metrics` comes from `ServerMetrics.bootstrap()`, called once per process before anything else is built.
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
        let memory = MemoryCache(capacity: settings.memoryCacheEntries)
        let stores = try database.map(openStores)
        let writer = stores.map { CacheWriter(store: $0.writer, model: classifier.modelID, logger: logger) }
        let queue = InferenceQueue(
            classifier: classifier,
            limits: settings.inference,
            recall: { memory[$0] },
            onBatch: { [metrics] batch in
                let entries = Array(zip(batch.keys, batch.labels))
                memory.store(entries)
                writer?.add(entries: entries)
                metrics.record(batch)
            })
        let reader = stores.map { CacheReader(store: $0.reader, model: classifier.modelID) }
        let resolver = LabelResolver(classifier: classifier, memory: memory, queue: queue, reader: reader,
                                     writer: writer)
        defer {
            queue.close()
            writer?.close()
        }

        let router = Router(context: ServeRequestContext.self, options: .autoGenerateHeadEndpoints)
        let routes = RouteMethods()
        // Metrics outside the error bodies, so failed requests are counted and timed as answers too.
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: ErrorBodyMiddleware(routes: routes))
        ClassifyRoutes(resolver: resolver, limits: settings.requests).register(on: router, in: routes)
        let watchStatus = watch.map { _ in WatchStatus() }
        OperationsRoutes(resolver: resolver, metrics: metrics, readiness: Readiness(reader: reader, watch: watchStatus))
            .register(on: router, in: routes)

        var quiet = logger
        quiet.logLevel = .warning
        let startLine = startDescription()
        let app = Application(
            router: router,
            server: ServeChannel.server(limits: settings.connections),
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "querykind"),
            onServerRunning: { [logger] channel in
                let port = channel.localAddress?.port ?? 0
                logger.info("listening on http://\(startLine.host):\(port)", metadata: startLine.metadata)
            },
            logger: quiet)
        var services: [any Service] = [app]
        if let watch, let watchStatus {
            // Before the server binds: a refused watch (one labeler per table) ends `serve` before it listens.
            services.append(try await WatchService.start(job: watch, interval: watchInterval, metrics: metrics,
                                                         status: watchStatus, logger: logger))
        }
        let group = ServiceGroup(configuration: .init(
            services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: quiet))
        do {
            try await group.run()
        } catch {
            if let failure = ListenFailure(error, address: "\(startLine.host):\(settings.port)") { throw failure }
            logger.error("server stopped on an error", metadata: ["error": "\(error)"])
            throw error
        }
        logger.info("stopped")
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

    /// The reader's and the writer's own connections to the database.
    private func openStores(_ database: Database) throws -> (reader: any LabelDatabase, writer: any LabelDatabase) {
        (try database.open(), try database.open())
    }

    private func startDescription() -> (host: String, metadata: Logger.Metadata) {
        let host = settings.host.contains(":") ? "[\(settings.host)]" : settings.host
        return (host, [
            "model": "\(classifier.modelID)",
            "database": "\(database?.description ?? "none (memory cache of \(settings.memoryCacheEntries) labels)")",
            "workers": "\(settings.inference.workers)",
        ])
    }
}
