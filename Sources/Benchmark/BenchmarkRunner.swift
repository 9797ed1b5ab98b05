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
    /// Texts per CPU-second (all threads) of the encoder and end-to-end passes: steadier than wall-clock rates
    /// on a shared machine, and a measure of efficiency rather than parallelism.
    public var encoderCPUQPS: Double
    public var endToEndCPUQPS: Double
    /// Mean token ids per query, `[CLS]` and `[SEP]` included.
    public var meanLength: Double
    /// Mean positions per query were each length-bucketed batch padded to its longest member, as
    /// `bench/reference.py`'s PyTorch batches are; querykind packs its batches without padding and runs `meanLength`.
    public var meanPaddedLength: Double
    /// The process's peak resident memory, in MiB.
    public var peakRSSMiB: Double
    /// The matrix-multiply backend and the OpenBLAS kernel family that ran.
    public var backend: String
    /// Threads running batches side by side (`QueryClassifier.workers`).
    public var workers: Int
    /// How far the timed set-up's predictions are from the reference path's on the same workload.
    public var deviation: Deviation
}

/// Times the classifier over a workload: tokenizer alone, encoder alone, end to end, best of `repeats`; the
/// encoder and end-to-end passes use the classifier's `workers`. Then compares its predictions with the reference
/// path's (`Deviation`).
public struct BenchmarkRunner {
    public var classifier: QueryClassifier
    public var batchSize: Int
    public var repeats: Int

    public init(classifier: QueryClassifier, batchSize: Int, repeats: Int = 3) {
        self.classifier = classifier
        self.batchSize = batchSize
        self.repeats = repeats
    }

    /// Times `texts`, then loads the reference set-up with `reference` (after the peak memory is read, so it counts
    /// only the timed classifier) and measures the deviation from it; rethrows what `reference` throws.
    public func run(_ texts: [String], reference: () throws -> QueryClassifier) rethrows -> BenchmarkResult {
        let tokenizer = classifier.tokenizer
        var encoded: [[Int32]] = []
        let tokenizeSeconds = best { encoded = texts.map { tokenizer.encode($0) } }.wall
        let batches = classifier.lengthBuckets(encoded, batchSize: batchSize)
        let encoderSeconds = best { _ = classifier.predict(tokenSequences: encoded, batchSize: batchSize) }
        let endToEndSeconds = best { _ = classifier.predict(texts, batchSize: batchSize) }
        let tokens = encoded.reduce(0) { $0 + $1.count }
        let padded = batches.reduce(0) { sum, batch in sum + batch.count * (batch.map { encoded[$0].count }.max() ?? 0) }
        let count = Double(max(texts.count, 1))
        let peakRSSMiB = Self.peakRSSMiB()
        let deviation = Deviation(classifier.predict(texts, batchSize: batchSize),
                                  from: try reference().predict(texts, batchSize: batchSize))
        return BenchmarkResult(
            queries: texts.count, batchSize: batchSize,
            tokenizerQPS: count / tokenizeSeconds, encoderQPS: count / encoderSeconds.wall,
            endToEndQPS: count / endToEndSeconds.wall,
            encoderCPUQPS: count / encoderSeconds.cpu, endToEndCPUQPS: count / endToEndSeconds.cpu,
            meanLength: Double(tokens) / count, meanPaddedLength: Double(padded) / count,
            peakRSSMiB: peakRSSMiB,
            backend: "\(classifier.gemmName), OpenBLAS core \(OpenBLASCore.running)",
            workers: classifier.workers, deviation: deviation)
    }

    /// The fastest of `repeats` timed runs in wall-clock and in process CPU seconds (each minimum on its own),
    /// after one untimed warm-up run.
    private func best(_ work: () -> Void) -> (wall: Double, cpu: Double) {
        work()
        var fastest = (wall: Double.infinity, cpu: Double.infinity)
        for _ in 0..<max(1, repeats) {
            let start = DispatchTime.now().uptimeNanoseconds
            let cpuStart = Self.cpuSeconds()
            work()
            fastest.cpu = min(fastest.cpu, Self.cpuSeconds() - cpuStart)
            fastest.wall = min(fastest.wall, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        return fastest
    }

    /// User plus system CPU time of the whole process so far.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        return user + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }

    static func peakRSSMiB() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_maxrss) / 1024  // Linux reports KiB
    }
}
