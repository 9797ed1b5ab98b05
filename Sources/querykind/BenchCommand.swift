import ArgumentParser
import Benchmark
import Foundation
import TensorMath

/// `querykind bench`: how fast the engine labels queries, in the figures `bench/reference.py` prints for PyTorch.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure tokenizer, encoder and end-to-end throughput on a reproducible query workload.",
        discussion: "bench/compare.sh runs this and the PyTorch reference side by side and prints the ratios.")

    @OptionGroup var modelOptions: ModelOptions

    @Option(help: "Queries in the generated workload.")
    var queries = 20_000

    @Option(help: "Seed of the generated workload.")
    var seed: UInt64 = 42

    @Option(help: "Read the workload from this file (one query per line) instead of generating it.")
    var workload: String?

    @Option(help: "Write the workload to this file, for the PyTorch reference to read.")
    var writeWorkload: String?

    @Option(help: "Texts per batch.")
    var batchSize = 32

    @Option(help: "Threads for matrix products.")
    var threads = 2

    @Option(help: "Timed passes; the fastest counts.")
    var repeats = 3

    @Flag(help: "One JSON object instead of text.")
    var json = false

    func validate() throws {
        guard queries > 0, batchSize > 0, threads > 0, repeats > 0 else {
            throw ValidationError("--queries, --batch-size, --threads and --repeats must be positive")
        }
    }

    func run() throws {
        let texts: [String]
        if let workload {
            guard let content = try? String(contentsOfFile: workload, encoding: .utf8) else {
                throw ValidationError("cannot read workload \(workload)")
            }
            texts = content.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                .dropLast(content.hasSuffix("\n") ? 1 : 0)
        } else {
            texts = Array(Workload(seed: seed).prefix(queries))
        }
        if let writeWorkload {
            try (texts.joined(separator: "\n") + "\n").write(toFile: writeWorkload, atomically: true, encoding: .utf8)
        }
        OpenBLASCore.threads = threads
        let classifier = try modelOptions.loadClassifier()
        let result = BenchmarkRunner(classifier: classifier, batchSize: batchSize, repeats: repeats).run(texts)
        let fields: [(String, JSONLine.Value)] = [
            ("runner", .string("querykind")), ("model", .string(classifier.modelID)),
            ("queries", .integer(result.queries)), ("batch_size", .integer(result.batchSize)),
            ("threads", .integer(threads)),
            ("encoder_qps", .number(result.encoderQPS)), ("end_to_end_qps", .number(result.endToEndQPS)),
            ("tokenizer_qps", .number(result.tokenizerQPS)), ("mean_length", .number(result.meanLength)),
            ("mean_padded_length", .number(result.meanPaddedLength)), ("peak_rss_mb", .number(result.peakRSSMiB)),
            ("backend", .string(result.backend)),
        ]
        if json {
            print(JSONLine.object(fields))
        } else {
            for (name, value) in fields { print(padded(name, 28) + JSONLine.render(value)) }
        }
    }
}
