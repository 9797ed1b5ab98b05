import Foundation
import XCTest
@testable import TensorMath

/// The int8 linear layer against the fp32 product it approximates; on CPUs without int8 products, its refusal.
final class Int8LinearTests: XCTestCase {
    /// Whether this CPU has VNNI and oneDNN is installed, judged from `/proc/cpuinfo` and the library apart from
    /// `Int8Linear`, whose refusal is checked against it.
    private static let hardware: Bool = {
        let cpuInfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        guard cpuInfo.contains(" avx512_vnni") || cpuInfo.contains(" avx_vnni"),
              let library = dlopen("libdnnl.so.2", RTLD_NOW) else { return false }
        dlclose(library)
        return true
    }()

    /// The layer for `weight` where int8 runs; elsewhere nil, after checking that it is refused exactly there.
    private func layer(_ weight: Matrix) -> Int8Linear? {
        XCTAssertEqual(Int8Linear.isAvailable, Self.hardware, "available exactly where the CPU has VNNI and oneDNN")
        let layer = Int8Linear(weight: weight)
        XCTAssertEqual(layer != nil, Self.hardware, "refused exactly where int8 cannot run")
        return layer
    }

    private func check(rows: Int, inputs: Int, outputs: Int, offset: Float, residual: Bool) {
        let weight = testMatrix(outputs, inputs, seed: 11)
        guard let layer = layer(weight) else { return }
        // `offset` shifts the activations off zero, like GELU outputs, to exercise the asymmetric zero point.
        let input = testMatrix(rows, inputs, seed: 5, offset: offset)
        let bias = (0..<outputs).map { Float($0) / Float(outputs) }
        let extra = testMatrix(rows, outputs, seed: 9)
        var actual = Matrix(rows: 0, columns: 0)
        var scratch = Int8Scratch()
        layer.forward(input, bias: bias, residual: residual ? extra : nil, into: &actual, scratch: &scratch)
        XCTAssertEqual(actual.rows, rows)
        XCTAssertEqual(actual.columns, outputs)
        // Rounding both operands to 8 bits: each term errs by ~|x|·|w|/255, summing like a random walk.
        let bound = 4 * Float(inputs).squareRoot() * (1 + abs(offset)) / 127
        let worst = worstDifferenceFromFloatProduct(actual, input: input, weight: weight, bias: bias,
                                                    residual: residual ? extra : nil)
        XCTAssertLessThan(worst, bound, "\(rows)x\(inputs)x\(outputs)")
        XCTAssertGreaterThan(worst, 0, "expected some quantization error, so the int8 path really ran")
    }

    func testCloseToFloatProductOnEncoderShapesOrRefusedWhereUnavailable() {
        check(rows: 1, inputs: 256, outputs: 768, offset: 0, residual: false)
        check(rows: 37, inputs: 384, outputs: 1536, offset: 0.8, residual: false)
        check(rows: 300, inputs: 1536, outputs: 384, offset: -0.3, residual: true)
        check(rows: 5, inputs: 13, outputs: 7, offset: 2, residual: true)  // tails shorter than 8 lanes
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
