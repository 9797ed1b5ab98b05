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
        let expected: Int32 = flags.isSuperset(of: ["avx2", "fma", "avx512f", "avx512bw", "avx512vl"])
            ? Int32(QK_LEVEL_AVX512) : (flags.isSuperset(of: ["avx2", "fma"]) ? Int32(QK_LEVEL_AVX2) : Int32(QK_LEVEL_SSE2))
        let saved = ProcessInfo.processInfo.environment["ONEDNN_MAX_CPU_ISA"]
        defer { if let saved { setenv("ONEDNN_MAX_CPU_ISA", saved, 1) } else { unsetenv("ONEDNN_MAX_CPU_ISA") } }
        unsetenv("ONEDNN_MAX_CPU_ISA")
        XCTAssertEqual(qk_supported_level(), expected, "flags: \(flags.intersection(["avx2", "fma", "avx512f", "avx512bw", "avx512vl"]))")
        setenv("ONEDNN_MAX_CPU_ISA", "AVX2", 1)
        XCTAssertEqual(qk_supported_level(), min(expected, Int32(QK_LEVEL_AVX2)))
        setenv("ONEDNN_MAX_CPU_ISA", "SSE41", 1)
        XCTAssertEqual(qk_supported_level(), Int32(QK_LEVEL_SSE2))
    }

    /// A level the CPU lacks runs the highest it has (the same bits), never an illegal instruction.
    func testALevelAboveTheCPUsRunsTheHighestItHas() {
        let top = levels.last!
        var values = sampleValues(count: 1_003), expected = values
        qk_gelu(top, &expected, expected.count)
        for level in (top + 1)...(Int32(QK_LEVEL_AVX512) + 1) {
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

    func testQuantizeAtEveryLevelRoundsEachRowOnItsOwnRange() {
        let rows = 7, columns = 389   // not a multiple of any vector width
        var input = sampleValues(count: rows * columns).map { $0.isFinite ? $0 : 0 }
        for column in 0..<columns { input[3 * columns + column] = Float(column % 5) }   // a row with no negative value
        for level in levels {
            var codes = [UInt8](repeating: 0, count: rows * columns)
            var scales = [Float](repeating: 0, count: rows), zeros = [Int32](repeating: 0, count: rows)
            qk_quantize_rows(level, input, rows, columns, &codes, &scales, &zeros)
            var offByOne = 0
            for row in 0..<rows {
                let slice = input[(row * columns)..<((row + 1) * columns)]
                let low = min(slice.min()!, 0), high = max(slice.max()!, 0)
                XCTAssertEqual(scales[row], (high - low) / 255, "level \(level), row \(row)")
                XCTAssertEqual(zeros[row], Int32((-low / scales[row]).rounded()), "level \(level), row \(row)")
                for (index, x) in slice.enumerated() {
                    let exact = min(255, max(0, Double(x) / Double(scales[row]) + Double(zeros[row])))
                    let code = Double(codes[row * columns + index])
                    XCTAssertLessThanOrEqual(abs(code - exact), 0.5 + 1e-3, "level \(level), x \(x)")
                    if abs(code - exact.rounded()) > 0 { offByOne += 1 }
                }
            }
            XCTAssertEqual(zeros[3], 0, "a row without negative values has zero point 0")
            XCTAssertLessThan(offByOne, rows * columns / 1_000 + 1, "level \(level): ties rounded the other way")
        }
    }

    func testDequantizeAtEveryLevelWithAndWithoutResidual() {
        let rows = 5, columns = 131
        let products = (0..<(rows * columns)).map { Int32(($0 * 7_919) % 200_001) - 100_000 }
        let rowScales = (0..<rows).map { Float($0 + 1) * 0.003 }, rowZeros = (0..<rows).map { Int32($0 * 31) }
        let scales = (0..<columns).map { Float($0 % 13 + 1) * 0.0007 }
        let sums = (0..<columns).map { Int32($0 * 17 - 900) }, bias = (0..<columns).map { Float($0) * 0.01 - 0.5 }
        let residual = sampleValues(count: rows * columns).map { $0.isFinite ? $0 : 1 }
        for level in levels {
            for withResidual in [false, true] {
                var out = [Float](repeating: .nan, count: rows * columns)
                let run = { (r: UnsafePointer<Float>?) in
                    qk_dequantize_rows(level, products, rows, columns, rowScales, rowZeros, scales, sums, bias, r, &out)
                }
                if withResidual { residual.withUnsafeBufferPointer { run($0.baseAddress) } } else { run(nil) }
                for row in 0..<rows {
                    for column in 0..<columns {
                        let index = row * columns + column
                        let integer = Double(products[index]) - Double(rowZeros[row]) * Double(sums[column])
                        var exact = integer * Double(rowScales[row]) * Double(scales[column]) + Double(bias[column])
                        if withResidual { exact += Double(residual[index]) }
                        XCTAssertEqual(Double(out[index]), exact, accuracy: 1e-5 * max(1, abs(exact)),
                                       "level \(level), residual \(withResidual), [\(row), \(column)]")
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
