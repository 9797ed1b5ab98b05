import Annotator
import Foundation

/// Where the server listens and the limits that keep it responsive under load; `querykind serve` sets each from a
/// flag whose default is the value here.
public struct ServerSettings: Sendable {
    /// The address to bind; loopback by default, and only loopback without API keys unless `serve` is told so.
    public var host: String
    /// The TCP port; 0 picks a free one (the start log line names it).
    public var port: Int
    /// What one request may ask for.
    public var requests: RequestLimits
    /// Labels kept in memory (in front of `label_cache`, or alone without a database).
    public var memoryCacheEntries: Int
    /// Inference threads, tokens per batch, and texts allowed to wait (more: 429 with `Retry-After`).
    public var inference: InferenceQueue.Limits
    /// How many connections may be open and how long each may take; see `ConnectionLimits`.
    public var connections: ConnectionLimits
    /// API keys and CORS origins.
    public var access: AccessSettings
    /// The confidence gate of requests that do not give `uncertain` (`--uncertain`).
    public var uncertainMargin: UncertainMargin

    public init(host: String = "127.0.0.1", port: Int = 8080, requests: RequestLimits = .init(),
                memoryCacheEntries: Int = 100_000,
                inference: InferenceQueue.Limits = .init(workers: ProcessInfo.processInfo.activeProcessorCount,
                                                         maxBatchTokens: 8192, capacity: 4096),
                connections: ConnectionLimits = .init(), access: AccessSettings = .init(),
                uncertainMargin: UncertainMargin = .off) {
        self.host = host
        self.port = port
        self.requests = requests
        self.memoryCacheEntries = memoryCacheEntries
        self.inference = inference
        self.connections = connections
        self.access = access
        self.uncertainMargin = uncertainMargin
    }
}

/// What one connection may hold: without these, a client that opens connections and sends nothing (or one byte
/// at a time) keeps them, and its file descriptors, forever; past the process's open-file limit the server stops
/// answering anyone, and a stalled upload used to keep SIGTERM from ever finishing.
public struct ConnectionLimits: Sendable {
    /// Most open connections; past it a new connection gets 503 and is closed at once. Keep it under the
    /// open-file limit (`LimitNOFILE`) with room for the database and the model.
    public var maxConnections: Int
    /// Time from a request's first byte to the end of its head; then the connection is closed.
    public var headerTimeout: Duration
    /// Time a connection may send nothing, between requests or in the middle of a request body; then it is closed.
    public var idleTimeout: Duration
    /// After SIGTERM, time the open connections get to finish their requests; then they are closed, so the process
    /// always exits (systemd's `TimeoutStopSec` must be longer).
    public var shutdownTimeout: Duration

    public init(maxConnections: Int = 512, headerTimeout: Duration = .seconds(10), idleTimeout: Duration = .seconds(60),
                shutdownTimeout: Duration = .seconds(10)) {
        self.maxConnections = maxConnections
        self.headerTimeout = headerTimeout
        self.idleTimeout = idleTimeout
        self.shutdownTimeout = shutdownTimeout
    }
}

/// The size of one request the API accepts: past either limit it answers 413.
public struct RequestLimits: Sendable {
    /// Largest request body, in bytes.
    public var maxBodyBytes: Int
    /// Most texts in one `POST /v1/classify`.
    public var maxTexts: Int

    public init(maxBodyBytes: Int = 1 << 20, maxTexts: Int = 1024) {
        self.maxBodyBytes = maxBodyBytes
        self.maxTexts = maxTexts
    }
}
