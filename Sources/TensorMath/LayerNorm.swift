/// Layer normalization over each row, as `torch.nn.LayerNorm(columns, eps)` computes it.
///
/// Why: BERT normalizes after the embeddings and after every residual; doing it in place on the activation
/// buffer keeps the forward pass free of temporary matrices. The sums run in eight interleaved lanes (`SIMD8`):
/// a single running `Float` sum cannot be vectorized, since reordering it changes the rounding.
extension Matrix {
    /// Normalizes every row to zero mean and unit (biased) variance, then scales by `gamma` and shifts by `beta`.
    public mutating func layerNormalizeRows(gamma: [Float], beta: [Float], epsilon: Float) {
        let width = columns
        precondition(gamma.count == width && beta.count == width, "layerNorm: parameters do not match \(width) columns")
        let height = rows
        guard width > 0 else { return }
        withUnsafeMutableBufferPointer { values in
            gamma.withUnsafeBufferPointer { g in
                beta.withUnsafeBufferPointer { b in
                    guard let base = values.baseAddress, let g = g.baseAddress, let b = b.baseAddress else { return }
                    for row in 0..<height {
                        let x = base + row * width
                        let mean = laneSum(x, count: width) { $0 } / Float(width)
                        let variance = laneSum(x, count: width) { ($0 - mean) * ($0 - mean) } / Float(width)
                        let inverseDeviation = 1 / (variance + epsilon).squareRoot()
                        for column in 0..<width {
                            x[column] = (x[column] - mean) * inverseDeviation * g[column] + b[column]
                        }
                    }
                }
            }
        }
    }
}

/// `Σ term(x[i])` for `i < count`, accumulated in eight lanes (then the scalar tail), so the loop vectorizes.
@inline(__always)
func laneSum(_ x: UnsafePointer<Float>, count: Int, _ term: (SIMD8<Float>) -> SIMD8<Float>) -> Float {
    var lanes = SIMD8<Float>()
    var index = 0
    while index + 8 <= count {
        lanes += term(UnsafeRawPointer(x + index).loadUnaligned(as: SIMD8<Float>.self))
        index += 8
    }
    var total = lanes.sum()
    while index < count {
        total += term(SIMD8(repeating: x[index]))[0]
        index += 1
    }
    return total
}
