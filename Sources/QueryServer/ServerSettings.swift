import Annotator
import Foundation

/// Where the server listens and the limits that keep it responsive under load; `querykind serve` sets each from a
/// flag whose default is the value here.
public struct ServerSettings: Sendable {
    /// The address to bind; loopback by default because the API has no authentication.
    public var host: String
    /// The TCP port; 0 picks a free one (the start log line names it).
    public var port: Int
    /// What one request may ask for.
    public var requests: RequestLimits
    /// Labels kept in memory (in front of `label_cache`, or alone without a database).
    public var memoryCacheEntries: Int
    /// Inference threads, tokens per batch, and texts allowed to wait (more: 429 with `Retry-After`).
    public var inference: InferenceQueue.Limits

    public init(host: String = "127.0.0.1", port: Int = 8080, requests: RequestLimits = .init(),
                memoryCacheEntries: Int = 100_000,
                inference: InferenceQueue.Limits = .init(workers: ProcessInfo.processInfo.activeProcessorCount,
                                                         maxBatchTokens: 8192, capacity: 4096)) {
        self.host = host
        self.port = port
        self.requests = requests
        self.memoryCacheEntries = memoryCacheEntries
        self.inference = inference
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
