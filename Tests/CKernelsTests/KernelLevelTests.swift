import CKernels
import Foundation
import XCTest

/// Every instruction-set copy of the kernels this CPU can run gives what a double-precision reference gives, the
/// level chosen matches the CPU's flags, and no call runs a level the CPU lacks (CKernels.h).
final class KernelLevelTests: XCTestCase {
    /// The levels this CPU runs, lowest first: the tests compare each one.
    private var levels: [Int32] { Array(0...qk_supported_level()) }

    func testTheLevelFollowsTheCPUFlagsAndONEDNNMaxCPUISA() throws {
        let line = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
            .split(separator: "\n").first { $0.hasPrefix("flags") } ?? ""
        let flags = Set(line.split(separator: " ").map(String.init))
        let avx512 = flags.isSuperset(of: ["avx2", "fma", "avx512f", "avx512bw", "avx512vl"])
        let expected: Int32 = avx512 && flags.contains("avx512_vnni") ? Int32(QK_LEVEL_AVX512_VNNI)
            : avx512 ? Int32(QK_LEVEL_AVX512)
            : (flags.isSuperset(of: ["avx2", "fma"]) ? Int32(QK_LEVEL_AVX2) : Int32(QK_LEVEL_SSE2))
        let saved = ProcessInfo.processInfo.environment["ONEDNN_MAX_CPU_ISA"]
        defer { if let saved { setenv("ONEDNN_MAX_CPU_ISA", saved, 1) } else { unsetenv("ONEDNN_MAX_CPU_ISA") } }
        unsetenv("ONEDNN_MAX_CPU_ISA")
        XCTAssertEqual(qk_supported_level(), expected,
                       "flags: \(flags.intersection(["avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512_vnni"]))")
        setenv("ONEDNN_MAX_CPU_ISA", "AVX2", 1)
        XCTAssertEqual(qk_supported_level(), min(expected, Int32(QK_LEVEL_AVX2)))
        setenv("ONEDNN_MAX_CPU_ISA", "AVX512_CORE", 1)
        XCTAssertEqual(qk_supported_level(), min(expected, Int32(QK_LEVEL_AVX512)))
        setenv("ONEDNN_MAX_CPU_ISA", "AVX512_CORE_VNNI", 1)
        XCTAssertEqual(qk_supported_level(), expected)
        setenv("ONEDNN_MAX_CPU_ISA", "SSE41", 1)
        XCTAssertEqual(qk_supported_level(), Int32(QK_LEVEL_SSE2))
    }

    /// A level the CPU lacks runs the highest it has (the same bits), never an illegal instruction.
    func testALevelAboveTheCPUsRunsTheHighestItHas() {
        let top = levels.last!
        var values = sampleValues(count: 1_003), expected = values
        qk_gelu(top, &expected, expected.count)
        for level in (top + 1)...(Int32(QK_LEVEL_AVX512_VNNI) + 1) {
            var copy = values
            qk_gelu(level, &copy, copy.count)
            XCTAssertEqual(copy.map(\.bitPattern), expected.map(\.bitPattern), "level \(level)")
        }
        values.removeAll()
    }

    func testGELUAtEveryLevelMatchesTheErfFormula() {
        let input = sampleValues(count: 4_099)
        for level in levels {
            var values = input
            qk_gelu(level, &values, values.count)
            for (x, y) in zip(input, values) {
                guard x.isFinite else {
                    XCTAssertEqual(y.isNaN, x.isNaN || x == -.infinity, "level \(level), x \(x), y \(y)")
                    continue
                }
                let exact = 0.5 * Double(x) * (1 + erf(Double(x) / 2.0.squareRoot()))
                XCTAssertEqual(Double(y), exact, accuracy: 1e-6 * max(1, abs(exact)), "level \(level), x \(x)")
            }
        }
    }

    /// Both code ranges: 0...255 (with 8-bit weights) and 0...127 (with 7-bit ones).
    func testQuantizeAtEveryLevelRoundsEachRowOnItsOwnRange() {
        let rows = 7, columns = 389   // not a multiple of any vector width
        var input = sampleValues(count: rows * columns).map { $0.isFinite ? $0 : 0 }
        for column in 0..<columns { input[3 * columns + column] = Float(column % 5) }   // a row with no negative value
        let stride = qk_int8_code_stride(columns)
        XCTAssertEqual(stride, 392, "rows of codes are padded to a multiple of 4")
        for level in levels {
          for largest in [Int32(255), 127] {
            var codes = [UInt8](repeating: 99, count: rows * stride)
            var scales = [Float](repeating: 0, count: rows), zeros = [Int32](repeating: 0, count: rows)
            qk_quantize_rows(level, input, rows, columns, stride, largest, &codes, &scales, &zeros)
            XCTAssertEqual(codes.max(), UInt8(largest), "level \(level): the range ends at the largest code")
            var offByOne = 0
            for row in 0..<rows {
                let slice = input[(row * columns)..<((row + 1) * columns)]
                let low = min(slice.min()!, 0), high = max(slice.max()!, 0)
                XCTAssertEqual(scales[row], (high - low) / Float(largest), "level \(level), row \(row)")
                XCTAssertEqual(zeros[row], Int32((-low / scales[row]).rounded()), "level \(level), row \(row)")
                for (index, x) in slice.enumerated() {
                    let exact = min(Double(largest), max(0, Double(x) / Double(scales[row]) + Double(zeros[row])))
                    let code = Double(codes[row * stride + index])
                    XCTAssertLessThanOrEqual(abs(code - exact), 0.5 + 1e-3, "level \(level), x \(x)")
                    if abs(code - exact.rounded()) > 0 { offByOne += 1 }
                }
            }
            XCTAssertEqual(zeros[3], 0, "a row without negative values has zero point 0")
            XCTAssertTrue((0..<rows).allSatisfy { row in codes[(row * stride + columns)..<((row + 1) * stride)]
                .allSatisfy { $0 == 0 } }, "level \(level): the padding is zero")
            XCTAssertLessThan(offByOne, rows * columns / 1_000 + 1, "level \(level): ties rounded the other way")
          }
        }
    }

    /// The int8 linear layer at every level is the exact integer product finished in one fused multiply-add: the
    /// same bits as `fma(Float(Σ a·w − zero·Σw), rowScale·scale, bias) (+ residual)` computed here in Swift, for
    /// 7-bit weights at every level and 8-bit ones where they cannot saturate (VNNI, and the scalar loops). Shapes
    /// cover every tile's tails and more inputs than one range of quads.
    func testInt8LinearAtEveryLevelIsTheExactIntegerProduct() {
        var generator = SystemRandomNumberGenerator()
        for (rows, inputs, outputs) in [(1, 4, 16), (7, 13, 5), (13, 390, 70), (49, 1_536, 40), (6, 384, 64)] {
            let stride = qk_int8_code_stride(inputs)
            let rowScales = (0..<rows).map { _ in Float.random(in: 0.001...0.1, using: &generator) }
            let rowZeros = (0..<rows).map { _ in Int32.random(in: 0...255, using: &generator) }
            let scales = (0..<outputs).map { _ in Float.random(in: 0.001...0.1, using: &generator) }
            let bias = (0..<outputs).map { _ in Float.random(in: -1...1, using: &generator) }
            let residual = (0..<(rows * outputs)).map { _ in Float.random(in: -2...2, using: &generator) }
            for weightBits in [7, 8] {
                // Activation codes up to `qk_int8_largest_activation`, as `Int8Linear` makes them: 255 or 127.
                let largestCode = UInt8(qk_int8_largest_activation(Int32(weightBits)))
                var codes = [UInt8](repeating: 0, count: rows * stride)
                for row in 0..<rows {
                    for input in 0..<inputs {
                        codes[row * stride + input] = UInt8.random(in: 0...largestCode, using: &generator)
                    }
                }
                let largest = (1 << (weightBits - 1)) - 1
                let weights = (0..<(outputs * inputs)).map { _ in Int8(Int.random(in: -largest...largest, using: &generator)) }
                let codeSums = (0..<outputs).map { column in
                    (0..<inputs).reduce(Int32(0)) { $0 + Int32(weights[column * inputs + $1]) }
                }
                var packed = [Int8](repeating: 0, count: qk_int8_packed_size(outputs, inputs))
                qk_int8_pack(weights, outputs, inputs, &packed)
                for withResidual in [false, true] {
                    var expected = [Float](repeating: 0, count: rows * outputs)
                    for row in 0..<rows {
                        for column in 0..<outputs {
                            var sum: Int32 = 0
                            for input in 0..<inputs {
                                sum += Int32(codes[row * stride + input]) * Int32(weights[column * inputs + input])
                            }
                            let centred = Float(sum - rowZeros[row] * codeSums[column])
                            let y = bias[column].addingProduct(centred, rowScales[row] * scales[column])
                            expected[row * outputs + column] = withResidual ? y + residual[row * outputs + column] : y
                        }
                    }
                    for level in levels where weightBits <= qk_int8_weight_bits(level) || level == QK_LEVEL_SSE2 {
                        var out = [Float](repeating: .nan, count: rows * outputs)
                        let run = { (extra: UnsafePointer<Float>?) in
                            qk_int8_linear(level, codes, rows, inputs, packed, outputs, rowScales, rowZeros, scales,
                                           codeSums, bias, extra, &out)
                        }
                        if withResidual { residual.withUnsafeBufferPointer { run($0.baseAddress) } } else { run(nil) }
                        XCTAssertEqual(out.map(\.bitPattern), expected.map(\.bitPattern),
                                       "\(rows)x\(inputs)x\(outputs), \(weightBits)-bit, level \(level), residual \(withResidual)")
                    }
                }
            }
        }
    }

    /// Values across GELU's range, with the edge cases every kernel must pass through (zeros, ±inf, NaN, huge).
    private func sampleValues(count: Int) -> [Float] {
        var generator = SystemRandomNumberGenerator()
        var values = (0..<count).map { _ in Float.random(in: -9...9, using: &generator) }
        let edges: [Float] = [0, -0.0, .infinity, -.infinity, .nan, 1e30, -1e30, 4, -4, 1e-30]
        for (index, edge) in edges.enumerated() where index < count { values[index * (count / edges.count)] = edge }
        return values
    }
}
