import ArgumentParser
import BertClassifier
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

    @Flag(help: "Write the workload (--write-workload) and stop, without loading a model: bench/nightly.sh uses it.")
    var onlyWriteWorkload = false

    @Option(help: "Timed passes; the fastest counts.")
    var repeats = 3

    @Flag(help: "One JSON object instead of text.")
    var json = false

    func validate() throws {
        guard queries > 0, repeats > 0 else { throw ValidationError("--queries and --repeats must be positive") }
        guard !onlyWriteWorkload || writeWorkload != nil else {
            throw ValidationError("--only-write-workload needs --write-workload FILE")
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
        guard !onlyWriteWorkload else { return }
        // A figure is named by the precision asked for: where that precision would fall back to float32, bench
        // refuses rather than report float32's speed under another name (and loads no model).
        let precision = try modelOptions.settings().precision
        if let missing = precision.requirementMissing {
            throw CommandFailure("bench --precision \(precision.rawValue) cannot run here: \(missing); no figure is "
                + "reported under its name (bench --precision float32 measures what runs instead)")
        }
        let classifier = try modelOptions.loadClassifier()
        let result = try BenchmarkRunner(classifier: classifier, batchSize: modelOptions.inferenceBatch,
                                         repeats: repeats).run(texts) {
            try modelOptions.loadClassifier(settings: .reference)
        }
        var fields: [(name: String, value: JSONOutput.Fields.Value)] = [
            ("runner", .string("querykind")), ("model", .string(classifier.modelID)),
            ("queries", .integer(result.queries)), ("batch_size", .integer(result.batchSize)),
            ("threads", .integer(classifier.workers)),
            ("encoder_qps", .number(result.encoderQPS)), ("end_to_end_qps", .number(result.endToEndQPS)),
            ("encoder_cpu_qps", .number(result.encoderCPUQPS)), ("end_to_end_cpu_qps", .number(result.endToEndCPUQPS)),
            ("tokenizer_qps", .number(result.tokenizerQPS)), ("mean_length", .number(result.meanLength)),
            ("mean_padded_length", .number(result.meanPaddedLength)), ("peak_rss_mb", .number(result.peakRSSMiB)),
            ("backend", .string(result.backend)), ("workers", .integer(result.workers)),
            ("precision", .string(classifier.precision.rawValue)),
            ("max_abs_diff_vs_openblas", .number(Double(result.deviation.maxProbability))),
            ("kind_changed_vs_openblas", .number(result.deviation.kindChanged)),
            ("head_decision_changed_vs_openblas", .number(result.deviation.decisionChanged)),
        ]
        if classifier.precision == .int8, let kernels = Int8Linear.kernelsHere {
            fields.append(("int8_kernels", .string(kernels)))
        }
        if json {
            print(try JSONOutput.line(JSONOutput.Fields(fields: fields)))
        } else {
            for (name, value) in fields { print(padded(name, 28) + value.text) }
        }
    }
}
