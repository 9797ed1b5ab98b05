import Foundation

/// The elementwise non-linearities BERT uses: exact (erf) GELU in the feed-forward block, tanh in the pooler.
///
/// Why: HuggingFace's `"gelu"` is the erf form, not the tanh approximation; using the approximation would drift
/// from PyTorch by more than the parity tolerance allows.
extension Matrix {
    /// `x ← 0.5 · x · (1 + erf(x / √2))` on every value.
    public mutating func applyGELU() {
        let inverseSqrt2: Float = 0.70710678118654752
        withUnsafeMutableBufferPointer { values in
            for index in values.indices {
                let x = values[index]
                values[index] = 0.5 * x * (1 + erff(x * inverseSqrt2))
            }
        }
    }

    /// `x ← tanh(x)` on every value.
    public mutating func applyTanh() {
        withUnsafeMutableBufferPointer { values in
            for index in values.indices {
                values[index] = tanhf(values[index])
            }
        }
    }
}
