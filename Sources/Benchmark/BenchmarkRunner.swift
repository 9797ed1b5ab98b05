import BertClassifier
import Foundation
import TensorMath

/// What `querykind bench` measured: the same figures `bench/reference.py` prints for PyTorch.
public struct BenchmarkResult: Sendable {
    public var queries: Int
    public var batchSize: Int
    /// Texts per second through the tokenizer alone, on one core.
    public var tokenizerQPS: Double
    /// Texts per second through the encoder and both heads, from token ids.
    public var encoderQPS: Double
    /// Texts per second from text to the two probabilities and the kind.
    public var endToEndQPS: Double
    /// Mean token ids per query, `[CLS]` and `[SEP]` included.
    public var meanLength: Double
    /// Mean positions executed per query: batches pad to their longest member.
    public var meanPaddedLength: Double
    /// The process's peak resident memory, in MiB.
    public var peakRSSMiB: Double
    /// The matrix-multiply backend and the OpenBLAS kernel family that ran.
    public var backend: String
    /// Threads running batches side by side (`QueryClassifier.workers`).
    public var workers: Int
}

/// Times the classifier over a workload: tokenizer alone, encoder alone, end to end, best of `repeats`; the
/// encoder and end-to-end passes use the classifier's `workers`.
public struct BenchmarkRunner {
    public var classifier: QueryClassifier
    public var batchSize: Int
    public var repeats: Int

    public init(classifier: QueryClassifier, batchSize: Int, repeats: Int = 3) {
        self.classifier = classifier
        self.batchSize = batchSize
        self.repeats = repeats
    }

    public func run(_ texts: [String]) -> BenchmarkResult {
        let tokenizer = classifier.tokenizer
        var encoded: [[Int32]] = []
        let tokenizeSeconds = best { encoded = texts.map { tokenizer.encode($0) } }
        let batches = classifier.lengthBuckets(encoded, batchSize: batchSize)
        let encoderSeconds = best { _ = classifier.predict(tokenSequences: encoded, batchSize: batchSize) }
        let endToEndSeconds = best { _ = classifier.predict(texts, batchSize: batchSize) }
        let tokens = encoded.reduce(0) { $0 + $1.count }
        let padded = batches.reduce(0) { sum, batch in sum + batch.count * (batch.map { encoded[$0].count }.max() ?? 0) }
        let count = Double(max(texts.count, 1))
        return BenchmarkResult(
            queries: texts.count, batchSize: batchSize,
            tokenizerQPS: count / tokenizeSeconds, encoderQPS: count / encoderSeconds,
            endToEndQPS: count / endToEndSeconds,
            meanLength: Double(tokens) / count, meanPaddedLength: Double(padded) / count,
            peakRSSMiB: Self.peakRSSMiB(),
            backend: "\(classifier.gemmName), OpenBLAS core \(OpenBLASCore.running)",
            workers: classifier.workers)
    }

    /// The fastest of `repeats` timed runs, after one untimed warm-up run.
    private func best(_ work: () -> Void) -> Double {
        work()
        var fastest = Double.infinity
        for _ in 0..<max(1, repeats) {
            let start = DispatchTime.now().uptimeNanoseconds
            work()
            fastest = min(fastest, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        return fastest
    }

    static func peakRSSMiB() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_maxrss) / 1024  // Linux reports KiB
    }
}
