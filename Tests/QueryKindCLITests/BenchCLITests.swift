import Benchmark
import Foundation
import XCTest

/// `querykind bench`: its figures, its error report against the reference path, and the workload file that
/// `bench/compare.sh` and `bench/nightly.sh` hand to the PyTorch runner.
final class BenchCLITests: XCTestCase {
    private struct Figures: Decodable {
        var runner, model, precision: String
        var int8_kernels: String?
        var queries, batch_size, threads: Int
        var encoder_qps, end_to_end_qps, tokenizer_qps, max_abs_diff_vs_openblas, kind_changed_vs_openblas: Double
    }

    func testJSONFiguresAndTheWorkloadItWrote() throws {
        let folder = try CLIFolder()
        let workload = folder.url.appendingPathComponent("workload.txt").path
        let output = try CommandRunner.run(
            ["bench", "--model", CommandRunner.tinyModel, "--queries", "300", "--repeats", "1", "--threads", "2",
             "--inference-batch", "16", "--gemm", "openblas", "--json", "--write-workload", workload], in: folder.url)
        XCTAssertEqual(output.status, 0, output.stderr)
        let figures = try JSONDecoder().decode(Figures.self, from: Data(output.stdout.utf8))
        XCTAssertEqual(figures.runner, "querykind")
        XCTAssertTrue(figures.model.hasPrefix("tiny-safetensors@"), figures.model)
        XCTAssertEqual([figures.queries, figures.batch_size, figures.threads], [300, 16, 2])
        XCTAssertTrue([figures.encoder_qps, figures.end_to_end_qps, figures.tokenizer_qps].allSatisfy { $0 > 0 })
        // Two workers on OpenBLAS against one worker on OpenBLAS: the same numbers exactly.
        XCTAssertEqual(figures.max_abs_diff_vs_openblas, 0)
        XCTAssertEqual(figures.kind_changed_vs_openblas, 0)
        XCTAssertEqual(try String(contentsOfFile: workload, encoding: .utf8),
                       Workload(seed: 42).prefix(300).joined(separator: "\n") + "\n")

        // The written workload read back is the same benchmark, in the text table form.
        let again = try CommandRunner.run(["bench", "--model", CommandRunner.tinyModel, "--workload", workload,
                                           "--repeats", "1"], in: folder.url)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.split(separator: "\n").contains { $0.hasPrefix("queries") && $0.hasSuffix(" 300") },
                      again.stdout)
        XCTAssertTrue(again.stdout.contains("end_to_end_qps"), again.stdout)
    }

    /// `--only-write-workload` writes the file and stops without loading any model (the nightly job's first step).
    func testOnlyWriteWorkloadNeedsNoModel() throws {
        let folder = try CLIFolder()
        let workload = folder.url.appendingPathComponent("nightly.txt").path
        let output = try CommandRunner.run(["bench", "--model", folder.url.appendingPathComponent("none").path,
                                            "--queries", "50", "--seed", "7", "--write-workload", workload,
                                            "--only-write-workload"], in: folder.url)
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertEqual(output.stdout, "")
        XCTAssertEqual(try String(contentsOfFile: workload, encoding: .utf8),
                       Workload(seed: 7).prefix(50).joined(separator: "\n") + "\n")
    }

    /// A precision that would fall back to float32 here is refused in one line, with no figure, rather than timed
    /// as float32 under its name; where the CPU has it, its figures carry its name and model id. bfloat16 needs
    /// AVX512-BF16 or AMX-BF16, which most CPUs lack, so the refusal is what most machines check.
    func testAPrecisionThatCannotRunHereIsRefusedNotReportedUnderItsName() throws {
        let folder = try CLIFolder()
        let output = try CommandRunner.run(["bench", "--model", CommandRunner.tinyModel, "--queries", "50",
                                            "--repeats", "1", "--precision", "bfloat16", "--json"], in: folder.url)
        let cpuInfo = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        let library = dlopen("libdnnl.so.2", RTLD_NOW)
        defer { if let library { dlclose(library) } }
        if library != nil && (cpuInfo.contains(" avx512_bf16") || cpuInfo.contains(" amx_bf16")) {
            XCTAssertEqual(output.status, 0, output.stderr)
            let figures = try JSONDecoder().decode(Figures.self, from: Data(output.stdout.utf8))
            XCTAssertEqual(figures.precision, "bfloat16")
            XCTAssertTrue(figures.model.hasSuffix("+bf16"), figures.model)
            return
        }
        XCTAssertNotEqual(output.status, 0)
        XCTAssertEqual(output.stdout, "", "no figure at all")
        let lines = output.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, output.stderr)
        XCTAssertTrue(lines.first?.contains("bench --precision bfloat16 cannot run here: ") == true, output.stderr)
        XCTAssertTrue(lines.first?.contains("bf16") == true, output.stderr)
        XCTAssertTrue(lines.first?.contains("no figure is reported under its name") == true, output.stderr)
    }

    /// int8 figures name the kernels that ran, judged here from `/proc/cpuinfo` apart from querykind: AVX-512 VNNI
    /// with 8-bit codes where the CPU has it, AVX2 with 7-bit codes under `ONEDNN_MAX_CPU_ISA=AVX2` (an AVX2-only
    /// CPU's); float32 figures carry no such field. Without AVX2, the refusal.
    func testInt8FiguresNameTheKernelsThatRan() throws {
        let folder = try CLIFolder()
        let flags = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
            .split(separator: "\n").first { $0.hasPrefix("flags") }.map { Set($0.split(separator: " ")) } ?? []
        let avx512 = ["avx512f", "avx512bw", "avx512vl"].allSatisfy { flags.contains(Substring($0)) }
        let native = avx512 && flags.contains("avx512_vnni") ? "AVX-512 VNNI, 8-bit codes"
            : (avx512 ? "AVX-512, 7-bit codes" : "AVX2, 7-bit codes")
        for (cap, expected) in [(nil, native), ("AVX2", "AVX2, 7-bit codes")] as [(String?, String)] {
            for precision in ["int8", "float32"] {
                let output = try CommandRunner.run(
                    ["bench", "--model", CommandRunner.tinyModel, "--queries", "50", "--repeats", "1", "--precision",
                     precision, "--json"], in: folder.url, environment: ["ONEDNN_MAX_CPU_ISA": cap])
                guard flags.contains("avx2") && flags.contains("fma") || precision == "float32" else {
                    XCTAssertNotEqual(output.status, 0, "refused without AVX2")
                    continue
                }
                XCTAssertEqual(output.status, 0, output.stderr)
                let figures = try JSONDecoder().decode(Figures.self, from: Data(output.stdout.utf8))
                XCTAssertEqual(figures.int8_kernels, precision == "int8" ? expected : nil, "cap \(cap ?? "none")")
            }
        }
    }
}
