/// How a matrix operand is read by `GEMM.multiply`.
public enum Transpose: Sendable {
    /// Use the operand as stored (row-major).
    case none
    /// Use the transpose of the stored operand (e.g. a PyTorch `[out, in]` weight for `x · Wᵀ`).
    case transposed
}

/// Single-precision general matrix multiply: `C = alpha · op(A) · op(B) + beta · C`, all row-major.
///
/// Why: every fp32 matrix product of the encoder goes through this one call, so a faster backend (oneDNN) can
/// replace OpenBLAS without touching the model code. The int8 and bf16 products convert their weights once at load,
/// which an fp32 pointer call cannot express, so they plug in one level up: `Linear`'s lowered weights in
/// BertClassifier, the one place every dense product of the model goes through. Pointers plus leading dimensions
/// let callers multiply sub-blocks in place (one attention head is a column slice of the fused QKV activations).
public protocol GEMM: Sendable {
    /// Short backend name for logs and benchmark reports, e.g. `OpenBLAS sgemm`.
    var name: String { get }

    /// Multiplies `op(A)` (`m x k`) by `op(B)` (`k x n`) into `C` (`m x n`, leading dimension `ldc`).
    func multiply(
        m: Int, n: Int, k: Int,
        alpha: Float,
        a: UnsafePointer<Float>, lda: Int, transposeA: Transpose,
        b: UnsafePointer<Float>, ldb: Int, transposeB: Transpose,
        beta: Float,
        c: UnsafeMutablePointer<Float>, ldc: Int
    )
}

extension GEMM {
    /// `output = input · weightᵀ`, the product of a PyTorch `nn.Linear` (`weight` is `[out, in]`).
    /// `output` is resized to `input.rows x weight.rows`.
    public func linear(_ input: Matrix, weight: Matrix, into output: inout Matrix) {
        precondition(input.columns == weight.columns, "linear: input has \(input.columns) columns, weight \(weight.columns)")
        output.resize(rows: input.rows, columns: weight.rows)
        guard input.rows > 0 else { return }
        input.withUnsafeBufferPointer { x in
            weight.withUnsafeBufferPointer { w in
                output.withUnsafeMutableBufferPointer { y in
                    multiply(m: input.rows, n: weight.rows, k: input.columns, alpha: 1,
                             a: x.baseAddress!, lda: input.columns, transposeA: .none,
                             b: w.baseAddress!, ldb: weight.columns, transposeB: .transposed,
                             beta: 0, c: y.baseAddress!, ldc: weight.rows)
                }
            }
        }
    }
}
