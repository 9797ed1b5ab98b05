import Foundation

/// The weights of one `nn.Linear` rounded to bfloat16, for products on CPUs with bf16 dot-product instructions.
///
/// Why: where the CPU has AVX512-BF16 (or AMX-BF16), oneDNN's `dnnl_gemm_bf16bf16f32` multiplies bf16 inputs
/// with fp32 accumulation at about 2.5x the rate of fp32 `sgemm` (measured at the encoder's shapes on an AMD EPYC
/// with AVX512-BF16). bf16 keeps fp32's range and 8 bits of mantissa, so no scales are needed; activations are
/// rounded to bf16 per call, outputs stay fp32.
public struct BFloat16Linear: Sendable {
    /// `[outputs, inputs]` bf16 bit patterns (the high 16 bits of the fp32 value, rounded to nearest even).
    let weights: [UInt16]
    public let outputs: Int
    public let inputs: Int
    private let library: OneDNNLibrary
    private let gemm: OneDNNLibrary.GEMMBF16

    /// Rounds a `[outputs, inputs]` weight to bf16; nil when bf16 products are unavailable here (`isAvailable`).
    public init?(weight: Matrix) {
        guard Self.isAvailable, let library = OneDNNLibrary.shared, let gemm = library.gemmBF16 else { return nil }
        self.library = library
        self.gemm = gemm
        outputs = weight.rows
        inputs = weight.columns
        var weights = [UInt16](repeating: 0, count: weight.count)
        weight.withUnsafeBufferPointer { values in
            weights.withUnsafeMutableBufferPointer { bf16 in roundToBFloat16(values.baseAddress!, bf16.baseAddress!, values.count) }
        }
        self.weights = weights
    }

    /// Whether this machine runs bf16 products in hardware.
    public static var isAvailable: Bool { requirementMissingHere == nil }

    /// What keeps bf16 products from running on this machine, or nil when they run.
    public static let requirementMissingHere = requirementMissing(cpuFlags: CPUFeatures.flags,
                                                                  oneDNNBF16: OneDNNLibrary.shared?.gemmBF16 != nil)

    /// What keeps bf16 products from running on a CPU with `cpuFlags`, in words for a person, or nil when they run:
    /// they need bf16 in hardware (AVX512-BF16 or AMX-BF16), where oneDNN would otherwise emulate them, slower than
    /// fp32, and a oneDNN that exports `dnnl_gemm_bf16bf16f32`.
    public static func requirementMissing(cpuFlags: Set<Substring>, oneDNNBF16: Bool) -> String? {
        if !oneDNNBF16 { return "oneDNN (Debian's libdnnl2) with bf16 products is not installed" }
        if !cpuFlags.contains("avx512_bf16") && !cpuFlags.contains("amx_bf16") {
            return "the CPU has no bf16 products (neither avx512_bf16 nor amx_bf16)"
        }
        return nil
    }

    /// `output = bf16(input) · bf16(W)ᵀ + bias (+ residual)`, accumulated in fp32.
    public func forward(_ input: Matrix, bias: [Float], residual: Matrix? = nil, into output: inout Matrix,
                        scratch: inout [UInt16]) {
        precondition(input.columns == inputs && bias.count == outputs, "BFloat16Linear: shapes do not match")
        let rows = input.rows
        output.resize(rows: rows, columns: outputs)
        guard rows > 0 else { return }
        if scratch.count < rows * inputs { scratch = [UInt16](repeating: 0, count: rows * inputs) }
        input.withUnsafeBufferPointer { x in
            scratch.withUnsafeMutableBufferPointer { roundToBFloat16(x.baseAddress!, $0.baseAddress!, rows * inputs) }
        }
        // One OpenMP thread per product (a per-thread setting): the caller runs batches on several threads itself.
        library.setThreads?(1)
        let status = scratch.withUnsafeBufferPointer { a in
            weights.withUnsafeBufferPointer { b in
                output.withUnsafeMutableBufferPointer { c in
                    gemm(CChar(UInt8(ascii: "N")), CChar(UInt8(ascii: "T")), Int64(rows), Int64(outputs), Int64(inputs),
                         1, a.baseAddress!, Int64(inputs), b.baseAddress!, Int64(inputs), 0, c.baseAddress!,
                         Int64(outputs))
                }
            }
        }
        // dnnl_gemm_bf16bf16f32 only fails on invalid arguments, which the shapes above rule out.
        precondition(status == 0, "dnnl_gemm_bf16bf16f32 failed with status \(status)")
        output.addBias(bias, residual: residual)
    }
}

/// Rounds `count` floats to bf16 bit patterns, to nearest even, sixteen lanes at a time. (Non-finite values do not
/// occur in the encoder's weights or activations.)
func roundToBFloat16(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<UInt16>, _ count: Int) {
    var index = 0
    while index + 16 <= count {
        let bits = UnsafeRawPointer(x + index).loadUnaligned(as: SIMD16<UInt32>.self)
        let rounded = (bits &+ 0x7FFF &+ ((bits &>> 16) & 1)) &>> 16
        UnsafeMutableRawPointer(y + index).storeBytes(of: SIMD16<UInt16>(truncatingIfNeeded: rounded),
                                                     as: SIMD16<UInt16>.self)
        index += 16
    }
    while index < count {
        let bits = x[index].bitPattern
        y[index] = UInt16(truncatingIfNeeded: (bits &+ 0x7FFF &+ ((bits >> 16) & 1)) >> 16)
        index += 1
    }
}
