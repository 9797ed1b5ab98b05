import XCTest
@testable import TensorMath

/// Checks OpenBLAS products against a plain triple loop, including transposed operands and sub-block strides.
final class GEMMTests: XCTestCase {
    private func randomMatrix(_ rows: Int, _ columns: Int, seed: inout UInt64) -> Matrix {
        Matrix(rows: rows, columns: columns, values: (0..<(rows * columns)).map { _ in
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int64(bitPattern: seed >> 11) % 2001 - 1000) / 1000
        })
    }

    func testLinearMatchesNaiveProduct() {
        var seed: UInt64 = 1
        let x = randomMatrix(5, 7, seed: &seed)
        let w = randomMatrix(3, 7, seed: &seed)
        var y = Matrix(rows: 0, columns: 0)
        OpenBLASGEMM().linear(x, weight: w, into: &y)
        XCTAssertEqual(y.rows, 5)
        XCTAssertEqual(y.columns, 3)
        for r in 0..<5 {
            for c in 0..<3 {
                let expected = (0..<7).reduce(Float(0)) { $0 + x[r, $1] * w[c, $1] }
                XCTAssertEqual(y[r, c], expected, accuracy: 1e-5)
            }
        }
    }

    func testSubBlockProductWithLeadingDimensionsAndBeta() {
        var seed: UInt64 = 7
        // A is columns 2..<5 of a 4x6 matrix, B (used transposed) columns 1..<4 of a 5x4 matrix.
        let a = randomMatrix(4, 6, seed: &seed)
        let b = randomMatrix(5, 4, seed: &seed)
        var c = randomMatrix(4, 5, seed: &seed)
        let before = c
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    OpenBLASGEMM().multiply(m: 4, n: 5, k: 3, alpha: 0.5,
                                            a: pa.baseAddress! + 2, lda: 6, transposeA: .none,
                                            b: pb.baseAddress! + 1, ldb: 4, transposeB: .transposed,
                                            beta: 1, c: pc.baseAddress!, ldc: 5)
                }
            }
        }
        for r in 0..<4 {
            for col in 0..<5 {
                let dot = (0..<3).reduce(Float(0)) { $0 + a[r, 2 + $1] * b[col, 1 + $1] }
                XCTAssertEqual(c[r, col], before[r, col] + 0.5 * dot, accuracy: 1e-5)
            }
        }
    }

    func testResizeKeepsAllocationAndShape() {
        var m = Matrix(rows: 4, columns: 4)
        m.resize(rows: 2, columns: 3)
        XCTAssertEqual(m.count, 6)
        XCTAssertEqual(m.storage.count, 16)
        m.resize(rows: 5, columns: 5)
        XCTAssertEqual(m.storage.count, 25)
    }
}
