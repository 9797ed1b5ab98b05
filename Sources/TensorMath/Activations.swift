import Foundation

/// The elementwise non-linearities BERT uses: exact (erf) GELU in the feed-forward block, tanh in the pooler.
///
/// Why: HuggingFace's `"gelu"` is the erf form, not the tanh approximation; using the approximation would drift
/// from PyTorch by more than the parity tolerance allows.
extension Matrix {
    /// `x ← 0.5 · x · (1 + erf(x / √2))` on every value, with `erf` from `vectorErf`.
    public mutating func applyGELU() {
        let inverseSqrt2: Float = 0.70710678118654752
        withUnsafeMutableBufferPointer { values in
            for index in values.indices {
                let x = values[index]
                values[index] = 0.5 * x * (1 + vectorErf(x * inverseSqrt2))
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

/// `erf(z)` within 3.2e-7 (absolute) of the exact value, as straight-line arithmetic the compiler vectorizes.
///
/// Why: GELU runs on every feed-forward activation (about 13% of the encoder's time with libm's scalar `erff`,
/// which a loop cannot vectorize). This is `z · P(z²) / Q(z²)`, a degree-5/5 rational fit of `erf(z)/z` on
/// [0, 4] made for querykind (weighted least squares, iterated on the denominator), with `z` clamped to ±4 where
/// `erf` is 1 to within 1.6e-8. The error is far below the 1e-4 parity tolerance against PyTorch.
@inline(__always)
public func vectorErf(_ value: Float) -> Float {
    let z = value < -4 ? -4 : (value > 4 ? 4 : value)
    let t = z * z
    var p: Float = 2.0000668e-06
    p = p * t + 2.8602284e-04
    p = p * t + 3.8950662e-03
    p = p * t + 5.3133678e-02
    p = p * t + 1.9365658e-01
    p = p * t + 1.1283791
    var q: Float = 3.7637485e-05
    q = q * t + 1.1908289e-03
    q = q * t + 1.5226652e-02
    q = q * t + 1.1541278e-01
    q = q * t + 5.0495553e-01
    q = q * t + 1
    return z * p / q
}
