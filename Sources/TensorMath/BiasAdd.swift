/// Adding a bias vector (and optionally a residual) to every row.
///
/// Why: `GEMM.linear` computes `x · Wᵀ` only; the bias of `nn.Linear` and BERT's residual connection are added in
/// one pass over the output so the activations are read once.
extension Matrix {
    /// `self[r, c] += bias[c]` for every row `r`.
    public mutating func addRowVector(_ bias: [Float]) {
        let width = columns
        precondition(bias.count == width, "addRowVector: \(bias.count) values for \(width) columns")
        let height = rows
        withUnsafeMutableBufferPointer { values in
            bias.withUnsafeBufferPointer { b in
                for row in 0..<height {
                    let base = row * width
                    for column in 0..<width { values[base + column] += b[column] }
                }
            }
        }
    }

    /// `self[r, c] += bias[c] + residual[r, c]`: the tail of BERT's `Linear → dropout → (+ input)` blocks.
    public mutating func addRowVector(_ bias: [Float], residual: Matrix) {
        let width = columns
        precondition(bias.count == width, "addRowVector: \(bias.count) values for \(width) columns")
        precondition(residual.rows == rows && residual.columns == width, "addRowVector: residual shape differs")
        let height = rows
        withUnsafeMutableBufferPointer { values in
            bias.withUnsafeBufferPointer { b in
                residual.withUnsafeBufferPointer { r in
                    for row in 0..<height {
                        let base = row * width
                        for column in 0..<width { values[base + column] += b[column] + r[base + column] }
                    }
                }
            }
        }
    }
}
