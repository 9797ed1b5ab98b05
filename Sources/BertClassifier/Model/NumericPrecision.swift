/// The arithmetic the encoder layers' dense products run in.
///
/// Why a choice: int8 products are about 4x faster than fp32 on VNNI CPUs (see `Int8Linear`), at the cost of
/// quantization error; a model is switched to `.int8` only when its `eval` accuracy stays within 0.2 point.
/// The PyTorch parity tests run `.float32`.
public enum NumericPrecision: String, Sendable, CaseIterable {
    /// Every product in fp32, within ~1e-6 of PyTorch.
    case float32
    /// Encoder dense products with int8 weights and per-row u8 activations; falls back to fp32 where the CPU
    /// lacks VNNI or oneDNN is missing.
    case int8
}
