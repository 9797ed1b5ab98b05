import Annotator
import LabelStore
import Metrics
import Prometheus

/// The server's Prometheus registry and the metrics the inference queue and the watch loop feed.
///
/// Why swift-metrics: Hummingbird's `MetricsMiddleware` reports requests by route and status through it, and the
/// server's own metrics use the same API; swift-prometheus renders them all for `/metrics`.
public final class ServerMetrics: Sendable {
    /// Everything `/metrics` prints.
    let registry: PrometheusCollectorRegistry
    /// The backend of these metrics and of Hummingbird's request metrics, which `LabelServer` creates under it
    /// (`withMetricsFactory`): the server's own, never the process-wide `MetricsSystem`.
    let factory: any MetricsFactory
    private let batchTexts: Metrics.Recorder
    private let batchSeconds: Metrics.Timer
    private let inferences: Metrics.Counter
    private let cacheHits: Metrics.Counter
    private let cacheMisses: Metrics.Counter
    private let queueDepth: Metrics.Gauge
    private let abandoned: Metrics.Gauge
    private let memoryEntries: Metrics.Gauge
    private let watchRows: Metrics.Counter
    /// Transient database failures the watch loop retried (the same count as its run's `label_runs.retries`).
    private let watchRetries: Metrics.Counter
    /// 1 while the watch loop's latest poll failed transiently and it is backing off, 0 after a poll succeeded: an
    /// alert on it catches a daemon stuck behind a lock or a full disk, which `label_runs` alone shows only to SQL.
    private let watchRetrying: Metrics.Gauge
    /// `querykind_labels_total{kind, source}`, by source (`http`, `watch`) and kind: the live mix an alert watches.
    private let labels: [String: [String: Metrics.Counter]]
    /// `querykind_confidence{head}`: each head's probability of the class it decided, `max(p, 1 - p)`.
    private let keywordConfidence: Metrics.Recorder
    private let questionConfidence: Metrics.Recorder

    /// A registry of its own, with histogram buckets that fit a small encoder: batch sizes up to 512 texts,
    /// latencies from 0.25 ms. Why not `MetricsSystem.bootstrap`: that binds the whole process, once; each server
    /// (and each test's) gets its own registry instead, and `/metrics` prints only its own.
    public init() {
        let registry = PrometheusCollectorRegistry()
        var prometheus = PrometheusMetricsFactory(registry: registry)
        prometheus.valueHistogramBuckets["querykind_inference_batch_texts"] = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512]
        // A decided class's probability is from 0.5 to 1; fine steps near 1, where a slide in confidence starts.
        prometheus.valueHistogramBuckets["querykind_confidence"] = [0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1]
        prometheus.defaultDurationHistogramBuckets = [
            .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5),
            .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
            .milliseconds(500), .seconds(1), .seconds(5),
        ]
        // Prometheus names allow no dots; Hummingbird's metrics use them.
        prometheus.nameAndLabelSanitizer = { name, labels in
            (name.replacingDots, labels.map { ($0.0.replacingDots, $0.1) })
        }
        let factory: any MetricsFactory = prometheus
        self.registry = registry
        self.factory = factory
        batchTexts = Recorder(label: "querykind_inference_batch_texts", aggregate: true, factory: factory)
        batchSeconds = Timer(label: "querykind_inference_batch_seconds", factory: factory)
        inferences = Counter(label: "querykind_inference_texts_total", factory: factory)
        cacheHits = Counter(label: "querykind_cache_lookups_total", dimensions: [("result", "hit")], factory: factory)
        cacheMisses = Counter(label: "querykind_cache_lookups_total", dimensions: [("result", "miss")],
                              factory: factory)
        queueDepth = Gauge(label: "querykind_queue_depth", factory: factory)
        abandoned = Gauge(label: "querykind_queue_abandoned_texts", factory: factory)
        memoryEntries = Gauge(label: "querykind_memory_cache_entries", factory: factory)
        watchRows = Counter(label: "querykind_watch_rows_labeled_total", factory: factory)
        watchRetries = Counter(label: "querykind_watch_transient_retries_total", factory: factory)
        watchRetrying = Gauge(label: "querykind_watch_retrying", factory: factory)
        // Every series from the start, at 0, so a rate over the first minutes has a value to start from.
        labels = Dictionary(uniqueKeysWithValues: ["http", "watch"].map { source in
            (source, Dictionary(uniqueKeysWithValues: Review.kinds.map { kind in
                (kind, Counter(label: "querykind_labels_total", dimensions: [("kind", kind), ("source", source)],
                               factory: factory))
            }))
        })
        keywordConfidence = Recorder(label: "querykind_confidence", dimensions: [("head", "keyword")], aggregate: true,
                                     factory: factory)
        questionConfidence = Recorder(label: "querykind_confidence", dimensions: [("head", "question")],
                                      aggregate: true, factory: factory)
    }

    func record(_ batch: InferenceQueue.BatchReport) {
        batchTexts.record(batch.keys.count)
        batchSeconds.recordNanoseconds(Int64(batch.duration.components.seconds) * 1_000_000_000
                                       + batch.duration.components.attoseconds / 1_000_000_000)
        inferences.increment(by: batch.keys.count)
    }

    /// A request's texts answered from a cache (memory or the database) and by the model; unlabelable texts are
    /// neither. Its labels count in the live mix whether a cache or the model answered: the mix is what was asked.
    func record(_ outcomes: LabelOutcomes) {
        cacheHits.increment(by: outcomes.hitCount)
        cacheMisses.increment(by: outcomes.labeledCount - outcomes.hitCount)
        for case .success(let outcome) in outcomes.items { record(outcome.label, source: "http") }
    }

    /// The labels a batch of the watch loop wrote (cache hits included, rows that could not be labeled not).
    func record(written batch: LabelBatch) {
        for case (_, .labeled(let label)) in batch.outcomes { record(label, source: "watch") }
    }

    /// One label in the live mix and the confidence histograms: the model's kind (not a review's, nor `uncertain`:
    /// like the trend report, these watch the model). The keyword head decides every label; the question head only
    /// those that are not keywords (it chose between question and statement).
    private func record(_ label: StoredLabel, source: String) {
        labels[source]?[label.kind]?.increment()
        keywordConfidence.record(max(label.pKeyword, 1 - label.pKeyword))
        if label.kind != "keyword" { questionConfidence.record(max(label.pQuestion, 1 - label.pQuestion)) }
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
