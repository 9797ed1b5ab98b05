import Foundation
import XCTest
@testable import TensorMath

/// Checks the normalization and activation kernels against direct Double-precision formulas.
final class ElementwiseTests: XCTestCase {
    func testLayerNormMatchesDefinition() {
        let values: [Float] = [1, 2, 3, 10, -4, 0.5, 0.25, 8]
        var m = Matrix(rows: 2, columns: 4, values: values)
        let gamma: [Float] = [1, 2, 0.5, -1]
        let beta: [Float] = [0, 1, -1, 0.5]
        m.layerNormalizeRows(gamma: gamma, beta: beta, epsilon: 1e-5)
        for r in 0..<2 {
            let row = values[(r * 4)..<(r * 4 + 4)].map(Double.init)
            let mean = row.reduce(0, +) / 4
            let variance = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 4
            for c in 0..<4 {
                let expected = (row[c] - mean) / (variance + 1e-5).squareRoot() * Double(gamma[c]) + Double(beta[c])
                XCTAssertEqual(Double(m[r, c]), expected, accuracy: 1e-5)
            }
        }
    }

    func testGELUIsTheErfForm() {
        var m = Matrix(rows: 1, columns: 5, values: [-3, -1, 0, 1, 2.5])
        m.applyGELU()
        // Values of 0.5·x·(1 + erf(x/√2)); the tanh approximation differs by > 1e-4 at x = -3 and 2.5.
        let expected: [Float] = [-0.0040496, -0.1586553, 0, 0.8413447, 2.4844758]
        for (got, want) in zip(m.storage, expected) { XCTAssertEqual(got, want, accuracy: 2e-6) }
    }

    func testTanh() {
        var m = Matrix(rows: 1, columns: 3, values: [-2, 0, 0.5])
        m.applyTanh()
        XCTAssertEqual(m.storage, [-2, 0, 0.5].map { Float(tanh(Double($0))) })
    }

    func testSoftmaxRowsAreStableAndNormalized() {
        var m = Matrix(rows: 2, columns: 3, values: [1, 2, 3, 1000, 1001, -1000])
        m.softmaxRows()
        let e = [exp(-2.0), exp(-1.0), 1.0]
        for c in 0..<3 { XCTAssertEqual(Double(m[0, c]), e[c] / e.reduce(0, +), accuracy: 1e-6) }
        XCTAssertEqual(Double(m[1, 0]), 1 / (1 + exp(1.0)), accuracy: 1e-6)
        XCTAssertEqual(m[1, 2], 0)
        XCTAssertFalse(m.storage.contains { $0.isNaN })
    }

    func testBiasAndResidual() {
        var m = Matrix(rows: 2, columns: 2, values: [1, 2, 3, 4])
        m.addRowVector([10, 20])
        XCTAssertEqual(m.storage, [11, 22, 13, 24])
        m.addRowVector([1, 1], residual: Matrix(rows: 2, columns: 2, values: [0.5, 0, 0, -4]))
        XCTAssertEqual(m.storage, [12.5, 23, 14, 21])
    }

    func testGatherRows() {
        let m = Matrix(rows: 3, columns: 2, values: [1, 2, 3, 4, 5, 6])
        var target = Matrix(rows: 0, columns: 0)
        m.gatherRows([2, 0], into: &target)
        XCTAssertEqual(target, Matrix(rows: 2, columns: 2, values: [5, 6, 1, 2]))
    }
}
