import XCTest
@testable import TensorMath

/// The bf16 linear layer against the fp32 product it approximates; on CPUs without bf16 products, its refusal.
final class BFloat16LinearTests: XCTestCase {
    func testCloseToFloatProductOnEncoderShapesOrRefusedWhereUnavailable() throws {
        let flags = CPUFeatures.parse(cpuinfo: try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))
        let hardware = flags.contains("avx512_bf16") || flags.contains("amx_bf16")
        XCTAssertEqual(BFloat16Linear.isAvailable, hardware && OneDNNLibrary.shared?.gemmBF16 != nil,
                       "available exactly where the CPU has bf16 products and oneDNN exports them")
        for (rows, inputs, outputs, residual) in [(1, 384, 1152, false), (37, 384, 1536, true), (300, 1536, 384, true)] {
            let weight = testMatrix(outputs, inputs, seed: 11)
            guard let layer = BFloat16Linear(weight: weight) else {
                XCTAssertFalse(BFloat16Linear.isAvailable, "refused although available")
                return
            }
            let input = testMatrix(rows, inputs, seed: 5)
            let bias = (0..<outputs).map { Float($0) / Float(outputs) }
            let extra = testMatrix(rows, outputs, seed: 9)
            var actual = Matrix(rows: 0, columns: 0)
            var scratch: [UInt16] = []
            layer.forward(input, bias: bias, residual: residual ? extra : nil, into: &actual, scratch: &scratch)
            XCTAssertEqual(actual.rows, rows)
            XCTAssertEqual(actual.columns, outputs)
            // bf16 keeps 8 significant bits: each product errs by up to ~2·2⁻⁹·|x|·|w|, summing like a random walk.
            let bound = 4 * Float(inputs).squareRoot() * 2 / 512
            let worst = worstDifferenceFromFloatProduct(actual, input: input, weight: weight, bias: bias,
                                                        residual: residual ? extra : nil)
            XCTAssertLessThan(worst, bound, "\(rows)x\(inputs)x\(outputs)")
            XCTAssertGreaterThan(worst, 0, "expected some rounding error, so the bf16 path really ran")
        }
    }

    func testRoundingIsToNearestEven() {
        let values: [Float] = [Float(bitPattern: 0x3F80_8000),   // exactly half way, low bit even: down
                               Float(bitPattern: 0x3F81_8000),   // half way, low bit odd: up
                               Float(bitPattern: 0x3F80_8001),   // above half way: up
                               Float(bitPattern: 0x3F80_7FFF),   // below half way: down
                               -1.5] + Array(repeating: 0.1, count: 17)   // past the 16-lane loop
        var rounded = [UInt16](repeating: 0, count: values.count)
        values.withUnsafeBufferPointer { x in
            rounded.withUnsafeMutableBufferPointer { roundToBFloat16(x.baseAddress!, $0.baseAddress!, values.count) }
        }
        XCTAssertEqual(Array(rounded.prefix(5)), [0x3F80, 0x3F82, 0x3F81, 0x3F80, 0xBFC0])
        XCTAssertEqual(Set(rounded.suffix(17)), [0x3DCD], "0.1 rounds to 0x3DCD in every lane and the tail")
    }
}
