import Foundation
import XCTest
@testable import TensorMath

/// The int8 linear layer against the fp32 product it approximates, with 8-bit and 7-bit weights; that the weights
/// chosen here never saturate, on this machine's oneDNN kernels and on its AVX2 kernels; on CPUs without int8
/// products, its refusal.
final class Int8LinearTests: XCTestCase {
    /// Whether this CPU has AVX2 and oneDNN is installed, judged from `/proc/cpuinfo` and the library apart from
    /// `Int8Linear`, whose refusal is checked against it.
    private static let hardware: Bool = {
        let cpuInfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        guard cpuInfo.contains(" avx2"), let library = dlopen("libdnnl.so.2", RTLD_NOW) else { return false }
        dlclose(library)
        return true
    }()

    /// The layer for `weight` where int8 runs (with `weightBits`-bit codes, or this machine's choice when nil);
    /// elsewhere nil, after checking that it is refused exactly there.
    private func layer(_ weight: Matrix, weightBits: Int? = nil) -> Int8Linear? {
        XCTAssertEqual(Int8Linear.isAvailable, Self.hardware, "available exactly where the CPU has AVX2 and oneDNN")
        let layer = weightBits.map { Int8Linear(weight: weight, weightBits: $0) } ?? Int8Linear(weight: weight)
        XCTAssertEqual(layer != nil, Self.hardware, "refused exactly where int8 cannot run")
        return layer
    }

    private func check(rows: Int, inputs: Int, outputs: Int, offset: Float, residual: Bool, weightBits: Int) {
        let weight = testMatrix(outputs, inputs, seed: 11)
        guard let layer = layer(weight, weightBits: weightBits) else { return }
        // `offset` shifts the activations off zero, like GELU outputs, to exercise the asymmetric zero point.
        let input = testMatrix(rows, inputs, seed: 5, offset: offset)
        let bias = (0..<outputs).map { Float($0) / Float(outputs) }
        let extra = testMatrix(rows, outputs, seed: 9)
        var actual = Matrix(rows: 0, columns: 0)
        var scratch = Int8Scratch()
        layer.forward(input, bias: bias, residual: residual ? extra : nil, into: &actual, scratch: &scratch)
        XCTAssertEqual(actual.rows, rows)
        XCTAssertEqual(actual.columns, outputs)
        // Rounding both operands: each term errs by ~|x|·|w|/largest code, summing like a random walk.
        let largestCode = Float((1 << (weightBits - 1)) - 1)
        let bound = 4 * Float(inputs).squareRoot() * (1 + abs(offset)) / largestCode
        let worst = worstDifferenceFromFloatProduct(actual, input: input, weight: weight, bias: bias,
                                                    residual: residual ? extra : nil)
        XCTAssertLessThan(worst, bound, "\(rows)x\(inputs)x\(outputs), \(weightBits)-bit weights")
        XCTAssertGreaterThan(worst, 0, "expected some quantization error, so the int8 path really ran")
    }

    /// Both widths: 8-bit weights (VNNI) and the 7-bit weights of AVX2-only CPUs, whose products are the same
    /// integers on any kernel, so this machine checks the AVX2 path's arithmetic whatever its CPU.
    func testCloseToFloatProductOnEncoderShapesOrRefusedWhereUnavailable() {
        for weightBits in [8, 7] {
            check(rows: 1, inputs: 256, outputs: 768, offset: 0, residual: false, weightBits: weightBits)
            check(rows: 37, inputs: 384, outputs: 1536, offset: 0.8, residual: false, weightBits: weightBits)
            check(rows: 300, inputs: 1536, outputs: 384, offset: -0.3, residual: true, weightBits: weightBits)
            // Tails shorter than 8 lanes.
            check(rows: 5, inputs: 13, outputs: 7, offset: 2, residual: true, weightBits: weightBits)
        }
    }

    /// The case `vpmaddubsw` clips: activations whose codes are all 255 against weights whose codes are all the
    /// largest. With 8-bit codes each pair sums to 2 × 255 × 127 = 64,770, above the 16-bit 32,767, on kernels
    /// without VNNI (`1 · 1` summed 64 times reads ~32.4 instead of 64); with 7-bit codes, 2 × 255 × 63 = 32,130, exact
    /// on every kernel. The weights this machine chooses are exact on the kernels oneDNN runs here. Prints which
    /// kernels ran, for `testAVX2KernelsClipEightBitWeightsButNotSevenBit`.
    func testTheWeightsChosenHereNeverSaturate() throws {
        let inputs = 64
        let weight = Matrix(rows: 2, columns: inputs, values: [Float](repeating: 1, count: inputs)
            + (0..<inputs).map { $0 % 2 == 0 ? -1 : 1 })
        let input = Matrix(rows: 1, columns: inputs, values: [Float](repeating: 1, count: inputs))
        func product(_ layer: Int8Linear) -> [Float] {
            var output = Matrix(rows: 0, columns: 0)
            var scratch = Int8Scratch()
            layer.forward(input, bias: [0, 0], into: &output, scratch: &scratch)
            return [output[0, 0], output[0, 1]]
        }
        guard let here = layer(weight), let seven = layer(weight, weightBits: 7),
              let eight = layer(weight, weightBits: 8), let library = OneDNNLibrary.shared else { return }
        let vnni = library.effectiveISA.map(OneDNNLibrary.multipliesWithVNNI) == true
        XCTAssertEqual(here.weightBits, vnni ? 8 : 7, "8-bit weights exactly where oneDNN multiplies with VNNI")
        for (name, layer) in [("chosen here", here), ("7-bit", seven)] {
            XCTAssertEqual(product(layer)[0], Float(inputs), accuracy: 1e-3, "\(name) weights are exact")
            XCTAssertEqual(product(layer)[1], 0, accuracy: 1e-3, "\(name) weights are exact")
        }
        let clipped = abs(product(eight)[0] - Float(inputs)) > 1
        XCTAssertEqual(clipped, !vnni, "8-bit weights clip exactly on kernels without VNNI: \(product(eight))")
        if clipped { XCTAssertEqual(product(eight)[0], 32 * 32_767 / (255 * 127), accuracy: 1e-2) }
        print("int8 kernels: oneDNN ISA 0x\(String(library.effectiveISA ?? 0, radix: 16)), 8-bit weights "
              + (clipped ? "clip" : "exact") + ", chosen \(here.weightBits)-bit")
    }

    /// oneDNN's AVX2 kernels (what an AVX2-only CPU runs) on any machine: `ONEDNN_MAX_CPU_ISA=AVX2` caps them, and
    /// oneDNN reads it once, when it first loads, so the test above runs again in a child test process with it set.
    func testAVX2KernelsClipEightBitWeightsButNotSevenBit() throws {
        guard Self.hardware else { return XCTAssertFalse(Int8Linear.isAvailable) }
        let child = Process()
        child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        child.arguments = ["TensorMathTests.Int8LinearTests/testTheWeightsChosenHereNeverSaturate"]
        var environment = ProcessInfo.processInfo.environment
        environment["ONEDNN_MAX_CPU_ISA"] = "AVX2"
        child.environment = environment
        let output = Pipe()
        child.standardOutput = output
        child.standardError = output
        try child.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        child.waitUntilExit()
        XCTAssertEqual(child.terminationStatus, 0, text)
        XCTAssertTrue(text.contains("int8 kernels: oneDNN ISA 0x7, 8-bit weights clip, chosen 7-bit"), text)
        XCTAssertTrue(text.contains("Executed 1 test, with 0 failures"), text)
    }

    func testConstantAndNonFiniteRowsDoNotTrapOrRefusedWhereUnavailable() {
        guard let layer = layer(testMatrix(4, 16, seed: 3)) else { return }
        var input = Matrix(rows: 3, columns: 16)
        for column in 0..<16 {
            input[1, column] = 0.5
            input[2, column] = column == 3 ? .nan : (column == 4 ? -.infinity : 1)
        }
        var output = Matrix(rows: 0, columns: 0)
        var scratch = Int8Scratch()
        layer.forward(input, bias: [0, 0, 0, 0], into: &output, scratch: &scratch)
        XCTAssertEqual((0..<4).map { output[0, $0] }, [0, 0, 0, 0])
        XCTAssertTrue((0..<4).allSatisfy { output[1, $0].isFinite })
    }
}
