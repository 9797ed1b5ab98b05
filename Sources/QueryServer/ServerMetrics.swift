import Annotator
import Metrics
import Prometheus

/// The server's Prometheus registry and the metrics the inference queue and the watch loop feed.
///
/// Why swift-metrics: Hummingbird's `MetricsMiddleware` reports requests by route and status through it, and the
/// server's own metrics use the same API; swift-prometheus renders them all for `/metrics`.
public final class ServerMetrics: Sendable {
    /// Everything `/metrics` prints.
    let registry: PrometheusCollectorRegistry
    private let batchTexts = Recorder(label: "querykind_inference_batch_texts", aggregate: true)
    private let batchSeconds = Timer(label: "querykind_inference_batch_seconds")
    private let inferences = Counter(label: "querykind_inference_texts_total")
    private let cacheHits = Counter(label: "querykind_cache_lookups_total", dimensions: [("result", "hit")])
    private let cacheMisses = Counter(label: "querykind_cache_lookups_total", dimensions: [("result", "miss")])
    private let queueDepth = Gauge(label: "querykind_queue_depth")
    private let abandoned = Gauge(label: "querykind_queue_abandoned_texts")
    private let memoryEntries = Gauge(label: "querykind_memory_cache_entries")
    private let watchRows = Counter(label: "querykind_watch_rows_labeled_total")
    /// Transient database failures the watch loop retried (the same count as its run's `label_runs.retries`).
    private let watchRetries = Counter(label: "querykind_watch_transient_retries_total")
    /// 1 while the watch loop's latest poll failed transiently and it is backing off, 0 after a poll succeeded: an
    /// alert on it catches a daemon stuck behind a lock or a full disk, which `label_runs` alone shows only to SQL.
    private let watchRetrying = Gauge(label: "querykind_watch_retrying")

    private init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    /// Makes swift-prometheus the process's metrics backend (once per process, before any metric is created),
    /// with histogram buckets that fit a small encoder: batch sizes up to 512 texts, latencies from 0.25 ms.
    public static func bootstrap() -> ServerMetrics {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.valueHistogramBuckets["querykind_inference_batch_texts"] = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512]
        factory.defaultDurationHistogramBuckets = [
            .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5),
            .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
            .milliseconds(500), .seconds(1), .seconds(5),
        ]
        // Prometheus names allow no dots; Hummingbird's metrics use them.
        factory.nameAndLabelSanitizer = { name, labels in
            (name.replacingDots, labels.map { ($0.0.replacingDots, $0.1) })
        }
        MetricsSystem.bootstrap(factory)
        return ServerMetrics(registry: registry)
    }

    func record(_ batch: InferenceQueue.BatchReport) {
        batchTexts.record(batch.keys.count)
        batchSeconds.recordNanoseconds(Int64(batch.duration.components.seconds) * 1_000_000_000
                                       + batch.duration.components.attoseconds / 1_000_000_000)
        inferences.increment(by: batch.keys.count)
    }

    /// A request's texts answered from a cache (memory or the database) and by the model; unlabelable texts are
    /// neither.
    func record(_ outcomes: LabelOutcomes) {
        cacheHits.increment(by: outcomes.hitCount)
        cacheMisses.increment(by: outcomes.labeledCount - outcomes.hitCount)
    }

    func record(_ pass: WatchPass) {
        watchRows.increment(by: pass.counters.labeled)
        if pass.retrying { watchRetries.increment() }
        watchRetrying.record(pass.retrying ? 1 : 0)
    }

    /// The Prometheus text exposition, with the queue and cache gauges read now.
    func exposition(queue: InferenceQueue, memory: MemoryCache) -> [UInt8] {
        queueDepth.record(queue.depth)
        abandoned.record(queue.abandonedCount)
        memoryEntries.record(memory.count)
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return buffer
    }
}

private extension String {
    var replacingDots: String { String(map { $0 == "." ? "_" : $0 }) }
}
