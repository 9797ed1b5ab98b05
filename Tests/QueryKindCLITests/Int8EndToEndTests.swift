import Foundation
import XCTest

/// The int8 encoder (and bf16's accuracy) through the commands, on the shipped model. Where the CPU runs int8 (AVX2
/// with FMA; querykind's own kernels, no library): its own `+int8` model id, its labels kept apart from fp32 ones in
/// one database's cache, and accuracy within docs/model.md's bound of fp32's, with this machine's kernels and weights
/// and with the AVX2 kernels and 7-bit weights (an AVX2-only CPU's). Where it cannot (no AVX2; for bf16, no bf16
/// products or no oneDNN): one stderr line saying so and what runs instead, fp32's id
/// and fp32's labels, answered from fp32's cache entries. Nothing skips: each machine runs the branch its CPU has,
/// and `CPUFeaturesTests` checks the decision for every CPU kind on any machine.
final class Int8EndToEndTests: XCTestCase {
    private let int8 = ["--precision", "int8"]

    /// docs/model.md's bound at this file's resolution: int8 moves a head's accuracy by at most 0.03 point on test sets
    /// of ~10k rows (a few rows net); on these 500 rows one row is 0.2 point, so at most one row may move.
    private let rowsMoved = 1

    /// Whether a precision runs here, judged from `/proc/cpuinfo` (and for bf16 the library) apart from querykind.
    private static func hardware(for precision: String) -> Bool {
        let cpuInfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        if precision == "int8" { return cpuInfo.contains(" avx2") && cpuInfo.contains(" fma") }
        guard [" avx512_bf16", " amx_bf16"].contains(where: cpuInfo.contains),
              let library = dlopen("libdnnl.so.2", RTLD_NOW) else { return false }
        dlclose(library)
        return true
    }

    private static let int8Runs = hardware(for: "int8")

    func testAccuracyWithinTheReadmeBoundOfFloat32OrFloat32Itself() throws {
        try checkAccuracy(precision: "int8")
    }

    /// What an AVX2-only CPU runs, on any CPU: `ONEDNN_MAX_CPU_ISA=AVX2` caps querykind's kernels to AVX2, whose
    /// `vpmaddubsw` saturates, so querykind quantizes weights to 7 bits; accuracy stays within the same bound.
    func testAVX2KernelsWithSevenBitWeightsStayWithinTheBound() throws {
        try checkAccuracy(precision: "int8", environment: ["ONEDNN_MAX_CPU_ISA": "AVX2"])
    }

    /// bf16 where the CPU has bf16 products (AVX512-BF16 or AMX), under the same bound; elsewhere the fallback.
    func testBFloat16AccuracyWithinTheBoundOfFloat32OrFloat32Itself() throws {
        try checkAccuracy(precision: "bfloat16")
    }

    private func checkAccuracy(precision: String, environment: [String: String?] = [:]) throws {
        let folder = try CLIFolder()
        let runs = Self.hardware(for: precision)
        func report(_ arguments: [String]) throws -> EvalCLITests.Report {
            let output = try CommandRunner.run(["eval", "--json"] + arguments, in: folder.url, environment: environment)
            XCTAssertEqual(output.status, 0, output.stderr)
            XCTAssertEqual(output.stderr.contains("warning: --precision \(precision)"),
                           arguments.contains(precision) && !runs, output.stderr)
            return try JSONDecoder().decode(EvalCLITests.Report.self, from: Data(output.stdout.utf8))
        }
        for head in ["keyword", "question"] {
            let float32 = try report(["--head", head, EvalCLITests.labeledFile(head)])
            let lower = try report(["--head", head, EvalCLITests.labeledFile(head), "--precision", precision])
            guard runs else {
                XCTAssertEqual(lower.model, float32.model, "the fallback labels under fp32's id")
                XCTAssertEqual(lower.confusion, float32.confusion, "the fallback is fp32")
                continue
            }
            XCTAssertEqual(lower.model, float32.model + (precision == "int8" ? "+int8" : "+bf16"))
            XCTAssertLessThanOrEqual(abs(lower.correct - float32.correct), rowsMoved,
                                     "\(head): fp32 \(float32.accuracy), \(precision) \(lower.accuracy)")
        }
    }

    /// `--precision P` either runs P silently or says in one stderr line what was asked, the missing CPU feature and
    /// what runs instead; bfloat16 is here too, since this machine's kind may lack either.
    func testAPrecisionThatCannotRunSaysSoInOneLine() throws {
        let folder = try CLIFolder()
        for precision in ["int8", "bfloat16"] {
            let output = try CommandRunner.run(["classify", "--model", CommandRunner.tinyModel, "--json",
                                                "--precision", precision], in: folder.url, stdin: "where is berlin\n")
            XCTAssertEqual(output.status, 0, output.stderr)
            XCTAssertEqual(output.stdout.split(separator: "\n").count, 1)
            let warnings = output.stderr.split(separator: "\n").filter { $0.hasPrefix("warning: ") }
            if Self.hardware(for: precision) {
                XCTAssertEqual(warnings, [], "\(precision) runs here")
                continue
            }
            let feature = precision == "int8" ? "AVX2" : "bf16 products"
            XCTAssertEqual(warnings.count, 1, output.stderr)
            XCTAssertTrue(warnings.first?.contains("--precision \(precision) cannot run here") == true, output.stderr)
            XCTAssertTrue(warnings.first?.contains(feature) == true, output.stderr)
            XCTAssertTrue(warnings.first?.contains("running float32") == true, output.stderr)
        }
    }

    /// `serve` puts the precision that runs in its start line, and why, when it is not the one asked for.
    func testServeStartLineNamesThePrecisionThatRuns() throws {
        let folder = try CLIFolder()
        for precision in ["int8", "bfloat16"] {
            let server = try ServeProcess(["--model", CommandRunner.tinyModel, "--precision", precision], in: folder.url)
            let output = try server.terminate()
            let startLine = output.stderr.split(separator: "\n").first { $0.contains("listening on") }.map(String.init)
            XCTAssertNotNil(startLine, output.stderr)
            if Self.hardware(for: precision) {
                XCTAssertTrue(startLine?.contains("precision=\(precision) ") == true, output.stderr)
                XCTAssertFalse(output.stderr.contains("cannot run here"), output.stderr)
            } else {
                XCTAssertTrue(startLine?.contains("precision=float32 (--precision \(precision) cannot run here") == true,
                              output.stderr)
            }
        }
    }

    func testInt8AndFloat32LabelsNeverShareCacheEntriesUnlessInt8FallsBack() throws {
        let folder = try CLIFolder()
        let texts = try String(contentsOfFile: EvalCLITests.labeledFile("question"), encoding: .utf8)
            .split(separator: "\n").dropFirst().prefix(200).map { String($0.split(separator: "\t")[0]) }
        try folder.createQueries(texts + texts.prefix(50))  // repeats: cache hits within each precision
        let float32 = try folder.label([])
        let labelsSQL = "SELECT query_id, kind, p_keyword, p_question FROM query_labels ORDER BY query_id"
        let float32Labels = try folder.rows(labelsSQL, columns: 4)
        let quantized = try folder.label(["--relabel"] + int8)
        guard Self.int8Runs else {
            // The fallback is fp32 under fp32's id: `--relabel` finds no row of another model, and the labels stay.
            XCTAssertEqual(quantized.model, float32.model)
            XCTAssertEqual([quantized.counters.rows_labeled, quantized.counters.inferences], [0, 0])
            XCTAssertEqual(try folder.rows(labelsSQL, columns: 4), float32Labels)
            return
        }
        XCTAssertEqual(quantized.model, float32.model + "+int8")
        // The int8 pass found none of the fp32 entries: it ran the model on every distinct text again.
        XCTAssertEqual(quantized.counters.rows_labeled, 250)
        XCTAssertEqual(quantized.counters.inferences, float32.counters.inferences)
        XCTAssertEqual(try folder.rows("SELECT model, count(*) FROM label_cache GROUP BY model ORDER BY model", columns: 2),
                       [[float32.model, "\(float32.counters.inferences)"], [quantized.model, "\(quantized.counters.inferences)"]])
        XCTAssertEqual(try folder.count("SELECT count(*) FROM query_labels WHERE model = '\(quantized.model)'"), 250)
        XCTAssertNotEqual(try folder.rows(labelsSQL, columns: 4), float32Labels, "int8 probabilities differ slightly")
        // Back to fp32: every text is answered from the fp32 entries, unchanged by the int8 pass.
        let back = try folder.label(["--relabel"])
        XCTAssertEqual([back.counters.rows_labeled, back.counters.inferences, back.counters.cache_hits], [250, 0, 250])
        XCTAssertEqual(try folder.rows(labelsSQL, columns: 4), float32Labels)
    }
}
