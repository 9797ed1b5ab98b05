@testable import TensorMath

/// Deterministic values in -1…1 (shifted by `offset`) from a small LCG, so every run multiplies the same matrices.
func testMatrix(_ rows: Int, _ columns: Int, seed: UInt64, offset: Float = 0) -> Matrix {
    var state = seed
    return Matrix(rows: rows, columns: columns, values: (0..<(rows * columns)).map { _ in
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Float(Int64(bitPattern: state >> 11) % 2001 - 1000) / 1000 + offset
    })
}

/// The largest absolute difference between `actual` and the fp32 OpenBLAS `input · Wᵀ + bias (+ residual)` that a
/// lower-precision layer approximates (the int8 and bf16 layers' reference).
func worstDifferenceFromFloatProduct(_ actual: Matrix, input: Matrix, weight: Matrix, bias: [Float],
                                     residual: Matrix?) -> Float {
    var expected = Matrix(rows: 0, columns: 0)
    OpenBLASGEMM().linear(input, weight: weight, into: &expected)
    expected.addBias(bias, residual: residual)
    precondition(actual.rows == expected.rows && actual.columns == expected.columns, "shapes differ")
    return zip(actual.storage[0..<actual.count], expected.storage[0..<expected.count])
        .reduce(0) { max($0, abs($1.0 - $1.1)) }
}
