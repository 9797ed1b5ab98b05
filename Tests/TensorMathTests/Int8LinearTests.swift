import CKernels
import Foundation
import XCTest
@testable import TensorMath

/// The int8 linear layer at every CKernels level this CPU runs (AVX2, AVX-512, AVX-512 VNNI) against the plain C
/// loops of the scalar level (the same bits) and against the fp32 product it approximates, with 8-bit and 7-bit
/// weights; the case that saturates without VNNI; on CPUs without AVX2, its refusal.
final class Int8LinearTests: XCTestCase {
    /// Whether this CPU has AVX2 and FMA, judged from `/proc/cpuinfo` apart from `Int8Linear`, whose refusal is
    /// checked against it.
    private static let hardware: Bool = {
        let cpuInfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        return cpuInfo.contains(" avx2") && cpuInfo.contains(" fma")
    }()

    /// The levels whose kernels int8 products run on here, lowest first (none without AVX2).
    private static var kernelLevels: [Int32] {
        hardware ? Array(Int32(QK_LEVEL_AVX2)...qk_supported_level()) : []
    }

    private func product(_ layer: Int8Linear, _ input: Matrix, bias: [Float], residual: Matrix?) -> Matrix {
        var output = Matrix(rows: 0, columns: 0)
        var scratch = Int8Scratch()
        layer.forward(input, bias: bias, residual: residual, into: &output, scratch: &scratch)
        return output
    }

    private func check(rows: Int, inputs: Int, outputs: Int, offset: Float, residual: Bool) {
        let weight = testMatrix(outputs, inputs, seed: 11)
        // `offset` shifts the activations off zero, like GELU outputs, to exercise the asymmetric zero point.
        let input = testMatrix(rows, inputs, seed: 5, offset: offset)
        let bias = (0..<outputs).map { Float($0) / Float(outputs) }
        let extra = residual ? testMatrix(rows, outputs, seed: 9) : nil
        let shape = "\(rows)x\(inputs)x\(outputs)"
        for weightBits in [8, 7] {
            let reference = product(Int8Linear(weight: weight, level: Int32(QK_LEVEL_SSE2), weightBits: weightBits),
                                    input, bias: bias, residual: extra)
            XCTAssertEqual(reference.rows, rows)
            XCTAssertEqual(reference.columns, outputs)
            // Rounding both operands: each term errs by ~|x|·|w|/largest code, summing like a random walk.
            let largestCode = Float((1 << (weightBits - 1)) - 1)
            let bound = 4 * Float(inputs).squareRoot() * (1 + abs(offset)) / largestCode
            let worst = worstDifferenceFromFloatProduct(reference, input: input, weight: weight, bias: bias,
                                                        residual: extra)
            XCTAssertLessThan(worst, bound, "\(shape), \(weightBits)-bit weights")
            XCTAssertGreaterThan(worst, 0, "expected some quantization error, so the int8 path really ran")
            // 8-bit weights only where they are exact (VNNI): elsewhere a pair of products may pass 32,767.
            for level in Self.kernelLevels where weightBits <= qk_int8_weight_bits(level) {
                let actual = product(Int8Linear(weight: weight, level: level, weightBits: weightBits), input,
                                     bias: bias, residual: extra)
                XCTAssertEqual(actual.storage[0..<actual.count].map(\.bitPattern),
                               reference.storage[0..<reference.count].map(\.bitPattern),
                               "\(shape), \(weightBits)-bit weights, level \(level): not the scalar loops' bits")
            }
        }
    }

    /// Encoder shapes, tails of every tile (rows not a multiple of 4 or 6, outputs not of 16, inputs not of 4), and
    /// more inputs than one range of `CHUNK_QUADS` quads (the feed-forward output's 1,536).
    func testEveryLevelGivesTheScalarBitsCloseToTheFloatProduct() {
        check(rows: 1, inputs: 256, outputs: 768, offset: 0, residual: false)
        check(rows: 37, inputs: 384, outputs: 1536, offset: 0.8, residual: false)
        check(rows: 61, inputs: 1536, outputs: 384, offset: -0.3, residual: true)
        check(rows: 5, inputs: 13, outputs: 7, offset: 2, residual: true)
        check(rows: 50, inputs: 390, outputs: 100, offset: 0.1, residual: true)
    }

    func testAvailableExactlyWithAVX2AndEightBitWeightsExactlyWithVNNI() {
        XCTAssertEqual(Int8Linear.isAvailable, Self.hardware, Int8Linear.requirementMissingHere ?? "available")
        XCTAssertEqual(Int8Linear(weight: testMatrix(3, 8, seed: 1)) != nil, Self.hardware)
        XCTAssertEqual(Int8Linear.weightBitsHere, qk_supported_level() >= QK_LEVEL_AVX512_VNNI ? 8 : 7)
        XCTAssertEqual(Int8Linear(weight: testMatrix(3, 8, seed: 1))?.weightBits ?? 7, Int8Linear.weightBitsHere)
    }

    /// The case `vpmaddubsw` clips: activations whose codes are all the largest against weights whose codes are all
    /// the largest. With 8-bit weights (and codes up to 255) each pair sums to 2 × 255 × 127 = 64,770, above the
    /// 16-bit 32,767, on levels without VNNI: `1 · 1` summed 64 times reads 32.4 instead of 64 on AVX-512 BW, and
    /// worse on AVX2, which also adds two saturated pair sums in 16 bits (wrapping). With 7-bit weights (and codes
    /// up to 127: 2 × 2 × 127 × 63 = 32,004), exact on every level. Each level's default width is exact there.
    func testEightBitWeightsClipExactlyWithoutVNNIAndSevenBitNever() {
        let inputs = 64
        let weight = Matrix(rows: 2, columns: inputs, values: [Float](repeating: 1, count: inputs)
            + (0..<inputs).map { $0 % 2 == 0 ? -1 : 1 })
        let input = Matrix(rows: 1, columns: inputs, values: [Float](repeating: 1, count: inputs))
        func outputs(level: Int32, weightBits: Int?) -> [Float] {
            let output = product(Int8Linear(weight: weight, level: level, weightBits: weightBits), input,
                                 bias: [0, 0], residual: nil)
            return [output[0, 0], output[0, 1]]
        }
        for level in [Int32(QK_LEVEL_SSE2)] + Self.kernelLevels {
            for weightBits in [nil, 7] {
                XCTAssertEqual(outputs(level: level, weightBits: weightBits)[0], Float(inputs), accuracy: 1e-3,
                               "level \(level), \(weightBits.map(String.init) ?? "default") bits")
                XCTAssertEqual(outputs(level: level, weightBits: weightBits)[1], 0, accuracy: 1e-3)
            }
            let eight = outputs(level: level, weightBits: 8)
            let clips = level == QK_LEVEL_AVX2 || level == QK_LEVEL_AVX512
            XCTAssertEqual(abs(eight[0] - Float(inputs)) > 1, clips, "level \(level): \(eight)")
            // On AVX-512 BW each 16-bit pair sum holds 32,767 of the 2 × 255 × 127 it should.
            if level == QK_LEVEL_AVX512 { XCTAssertEqual(eight[0], 32 * 32_767 / (255 * 127), accuracy: 1e-2) }
            XCTAssertEqual(Int(qk_int8_weight_bits(level)), level >= QK_LEVEL_AVX512_VNNI ? 8 : 7)
        }
    }

    func testConstantAndNonFiniteRowsDoNotTrapOrRefusedWhereUnavailable() {
        guard let layer = Int8Linear(weight: testMatrix(4, 16, seed: 3)) else {
            return XCTAssertFalse(Self.hardware, "refused only without AVX2")
        }
        var input = Matrix(rows: 3, columns: 16)
        for column in 0..<16 {
            input[1, column] = 0.5
            input[2, column] = column == 3 ? .nan : (column == 4 ? -.infinity : 1)
        }
        let output = product(layer, input, bias: [0, 0, 0, 0], residual: nil)
        XCTAssertEqual((0..<4).map { output[0, $0] }, [0, 0, 0, 0])
        XCTAssertTrue((0..<4).allSatisfy { output[1, $0].isFinite })
    }
}
