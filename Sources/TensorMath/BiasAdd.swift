/// Adding a bias vector (and optionally a residual) to every row.
///
/// Why: `GEMM.linear` computes `x · Wᵀ` only; the bias of `nn.Linear` and BERT's residual connection are added in
/// one pass over the output so the activations are read once. The loops run on raw row pointers: indexing with
/// checked `Int` arithmetic kept the compiler from vectorizing them (they were ~9% of the encoder's time).
extension Matrix {
    /// `self[r, c] += bias[c]` for every row `r`.
    public mutating func addRowVector(_ bias: [Float]) {
        let width = columns
        precondition(bias.count == width, "addRowVector: \(bias.count) values for \(width) columns")
        let height = rows
        withUnsafeMutableBufferPointer { values in
            bias.withUnsafeBufferPointer { b in
                guard let out = values.baseAddress, let b = b.baseAddress else { return }
                for row in 0..<height {
                    let y = out + row * width
                    for column in 0..<width { y[column] += b[column] }
                }
            }
        }
    }

    /// `self += bias` in every row, plus `residual` when there is one: the epilogue of every linear layer, whatever
    /// kernel computed the product.
    public mutating func addBias(_ bias: [Float], residual: Matrix?) {
        if let residual { addRowVector(bias, residual: residual) } else { addRowVector(bias) }
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
                    guard let out = values.baseAddress, let b = b.baseAddress, let r = r.baseAddress else { return }
                    for row in 0..<height {
                        let y = out + row * width
                        let x = r + row * width
                        for column in 0..<width { y[column] += b[column] + x[column] }
                    }
                }
            }
        }
    }
}
