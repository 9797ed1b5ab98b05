import XCTest
@testable import TensorMath

/// The int8 linear layer against the fp32 product it approximates.
final class Int8LinearTests: XCTestCase {
    private func check(rows: Int, inputs: Int, outputs: Int, offset: Float, residual: Bool) throws {
        let weight = testMatrix(outputs, inputs, seed: 11)
        guard let layer = Int8Linear(weight: weight) else { throw XCTSkip("no oneDNN or no VNNI on this CPU") }
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

    func testCloseToFloatProductOnEncoderShapes() throws {
        try check(rows: 1, inputs: 256, outputs: 768, offset: 0, residual: false)
        try check(rows: 37, inputs: 384, outputs: 1536, offset: 0.8, residual: false)
        try check(rows: 300, inputs: 1536, outputs: 384, offset: -0.3, residual: true)
        try check(rows: 5, inputs: 13, outputs: 7, offset: 2, residual: true)  // tails shorter than 8 lanes
    }

    func testConstantAndNonFiniteRowsDoNotTrap() throws {
        guard let layer = Int8Linear(weight: testMatrix(4, 16, seed: 3)) else { throw XCTSkip("no int8 products") }
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
