/// Layer normalization over each row, as `torch.nn.LayerNorm(columns, eps)` computes it.
///
/// Why: BERT normalizes after the embeddings and after every residual; doing it in place on the activation
/// buffer keeps the forward pass free of temporary matrices.
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
                    for row in 0..<height {
                        let x = UnsafeMutableBufferPointer(rebasing: values[(row * width)..<((row + 1) * width)])
                        var sum: Float = 0
                        for value in x { sum += value }
                        let mean = sum / Float(width)
                        var squares: Float = 0
                        for value in x {
                            let centered = value - mean
                            squares += centered * centered
                        }
                        let inverseDeviation = 1 / (squares / Float(width) + epsilon).squareRoot()
                        for column in 0..<width {
                            x[column] = (x[column] - mean) * inverseDeviation * g[column] + b[column]
                        }
                    }
                }
            }
        }
    }
}
