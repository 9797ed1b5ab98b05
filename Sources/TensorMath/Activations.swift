import CKernels
import Foundation

/// The elementwise non-linearities BERT uses: exact (erf) GELU in the feed-forward block, tanh in the pooler.
///
/// Why: HuggingFace's `"gelu"` is the erf form, not the tanh approximation; using the approximation would drift
/// from PyTorch by more than the parity tolerance allows.
extension Matrix {
    /// `x ← 0.5 · x · (1 + erf(x / √2))` on every value, with `erf` from `qk_erf` (CKernels: a rational fit within
    /// 3.2e-7, vectorized for the CPU's widest instruction set; libm's scalar `erff` made GELU ~13% of the encoder).
    public mutating func applyGELU() {
        withUnsafeMutableBufferPointer { values in
            guard let x = values.baseAddress else { return }
            qk_gelu(widestKernels, x, values.count)
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

/// The instruction-set level passed to CKernels: the widest, which each call lowers to what the CPU runs.
let widestKernels = Int32(QK_LEVEL_AVX512_VNNI)
