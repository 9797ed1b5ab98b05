import XCTest
@testable import TensorMath

/// oneDNN's products against OpenBLAS (the reference path) on the encoder's shapes, including the strided,
/// transposed and scaled sub-block products attention uses.
final class OneDNNGEMMTests: XCTestCase {
    private func values(_ count: Int, seed: UInt64) -> [Float] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int64(bitPattern: state >> 11) % 2001 - 1000) / 1000
        }
    }

    private func backend() throws -> OneDNNGEMM {
        guard let gemm = OneDNNGEMM() else { throw XCTSkip("libdnnl.so.2 is not installed") }
        return gemm
    }

    func testLinearMatchesOpenBLASOnEncoderShapes() throws {
        let onednn = try backend()
        // (rows, inputs, outputs): batch 1 and batch 32 against QKV, FFN-in and FFN-out of both model shapes.
        for (m, k, n) in [(1, 256, 768), (9, 256, 1024), (300, 1024, 256), (12, 384, 1152), (33, 1536, 384)] {
            let x = Matrix(rows: m, columns: k, values: values(m * k, seed: UInt64(m * k)))
            let w = Matrix(rows: n, columns: k, values: values(n * k, seed: UInt64(n + k)))
            var expected = Matrix(rows: 0, columns: 0)
            var actual = Matrix(rows: 0, columns: 0)
            OpenBLASGEMM().linear(x, weight: w, into: &expected)
            onednn.linear(x, weight: w, into: &actual)
            XCTAssertEqual(actual.rows, m)
            XCTAssertEqual(actual.columns, n)
            let worst = zip(actual.storage[0..<actual.count], expected.storage[0..<expected.count])
                .map { abs($0 - $1) }.max() ?? 0
            XCTAssertLessThan(worst, 1e-3 * Float(k).squareRoot() / 16, "\(m)x\(k)x\(n)")
        }
    }

    func testStridedScaledSubBlockMatchesOpenBLAS() throws {
        // Long enough for oneDNN to run it (tiny products go to OpenBLAS, see `smallProductLimit`).
        try checkAttentionHead(tokens: 40, hidden: 128, headSize: 64, accuracy: 1e-4)
    }

    func testTinyProductsRunOnOpenBLASExactly() throws {
        XCTAssertLessThan(7 * 7 * 8, OneDNNGEMM.smallProductLimit)
        try checkAttentionHead(tokens: 7, hidden: 32, headSize: 8, accuracy: 0)
    }

    /// One attention head: Q·Kᵀ·scale over column slices of a fused [tokens, 3·hidden] matrix, then into a
    /// column slice of the context with beta 1; oneDNN against OpenBLAS.
    private func checkAttentionHead(tokens: Int, hidden: Int, headSize: Int, accuracy: Float) throws {
        let onednn = try backend()
        let qkv = values(tokens * 3 * hidden, seed: 3)
        var results: [[Float]] = []
        for gemm in [OpenBLASGEMM() as any GEMM, onednn] {
            var scores = [Float](repeating: 0, count: tokens * tokens)
            var context = values(tokens * hidden, seed: 5)
            qkv.withUnsafeBufferPointer { qkv in
                let query = qkv.baseAddress! + headSize
                gemm.multiply(m: tokens, n: tokens, k: headSize, alpha: 0.35,
                              a: query, lda: 3 * hidden, transposeA: .none,
                              b: query + hidden, ldb: 3 * hidden, transposeB: .transposed,
                              beta: 0, c: &scores, ldc: tokens)
                scores.withUnsafeBufferPointer { scores in
                    context.withUnsafeMutableBufferPointer { context in
                        gemm.multiply(m: tokens, n: headSize, k: tokens, alpha: 1,
                                      a: scores.baseAddress!, lda: tokens, transposeA: .none,
                                      b: query + 2 * hidden, ldb: 3 * hidden, transposeB: .none,
                                      beta: 1, c: context.baseAddress! + headSize, ldc: hidden)
                    }
                }
            }
            results.append(scores + context)
        }
        for (a, b) in zip(results[0], results[1]) { XCTAssertEqual(a, b, accuracy: accuracy) }
    }
}
