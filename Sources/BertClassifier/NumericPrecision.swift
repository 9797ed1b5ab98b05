import TensorMath

/// The arithmetic the encoder layers' dense products run in.
///
/// Why a choice: where the CPU has faster low-precision instructions, int8 (AVX2 or VNNI, see `Int8Linear`) and bf16
/// (AVX512-BF16 or AMX-BF16, see `BFloat16Linear`) products run 2-4x the multiply-adds of fp32, at the cost of
/// rounding error; a model is run in one only when its `eval` accuracy stays within 0.2 point. The PyTorch parity
/// tests run `.float32`. Each precision labels under its own model id (see `idSuffix`).
public enum NumericPrecision: String, Sendable, CaseIterable {
    /// Every product in fp32, within ~1e-6 of PyTorch.
    case float32
    /// Encoder dense products with int8 weights and per-row u8 activations; needs a CPU with AVX2 and FMA
    /// (querykind's own kernels). Weights keep 8 bits with AVX-512 VNNI and 7 bits elsewhere (exact products, see
    /// `Int8Linear`); both label under the same `+int8` id (docs/model.md, "Precision").
    case int8
    /// Encoder dense products with bf16 weights and activations, fp32 accumulation; needs oneDNN and a CPU with
    /// AVX512-BF16 or AMX-BF16.
    case bfloat16

    /// Whether this machine runs the precision natively (detected at start-up from the CPU's flags).
    public var isAvailable: Bool { requirementMissing == nil }

    /// Why this machine cannot run the precision (the missing CPU feature or library), or nil when it can.
    public var requirementMissing: String? {
        switch self {
        case .float32: return nil
        case .int8: return Int8Linear.requirementMissingHere
        case .bfloat16: return BFloat16Linear.requirementMissingHere
        }
    }

    /// Appended to the model id: labels of different precisions differ in their last digits, so they never share
    /// cache entries.
    public var idSuffix: String {
        switch self {
        case .float32: ""
        case .int8: "+int8"
        case .bfloat16: "+bf16"
        }
    }
}
