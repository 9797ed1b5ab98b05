import CKernels
import Foundation

/// The weights of one `nn.Linear` quantized to int8, one scale per output row, for `Int8Linear.forward`.
///
/// Why: oneDNN's u8 x s8 products run about 4x the multiply-adds per second of fp32 with VNNI and about 2x on AVX2,
/// and the encoder's time is ~70% matrix products. Symmetric per-row weight scales keep each output channel's own
/// range.
///
/// Why 7-bit weights without VNNI: there, x86 multiplies u8 x s8 with `vpmaddubsw`, which adds each pair of
/// products in 16 bits and saturates at 32,767. Activation codes reach 255, so 8-bit weight codes (|w| ≤ 127) can
/// clip a pair (2 × 255 × 127 = 64,770) silently; codes |w| ≤ 63 cannot (2 × 255 × 63 = 32,130), so every product
/// is exact, at one bit less weight resolution (ONNX Runtime's `reduce_range`). With VNNI (`vpdpbusd`, 32-bit
/// sums) weights keep all 8 bits.
public struct Int8Linear: Sendable {
    /// `[outputs, inputs]` codes in ±`largestCode` (`weight ≈ code · scale[row]`).
    let codes: [Int8]
    let scales: [Float]
    /// `Σ_k codes[row, k]`: removes the activations' zero point from the integer product.
    let codeSums: [Int32]
    public let outputs: Int
    public let inputs: Int
    /// The weight codes' width: 8 (|code| ≤ 127) where oneDNN multiplies with VNNI, else 7 (|code| ≤ 63).
    public let weightBits: Int
    private let library: OneDNNLibrary

    /// Quantizes a `[outputs, inputs]` weight to the widest codes whose products are exact here (`weightBitsHere`);
    /// nil when int8 products are unavailable here (`isAvailable`).
    public init?(weight: Matrix) {
        self.init(weight: weight, weightBits: Self.weightBitsHere)
    }

    /// Quantizes to `weightBits`-bit codes (7 or 8) whatever oneDNN runs here: tests use it to show that 8-bit codes
    /// clip on kernels without VNNI and 7-bit codes do not.
    init?(weight: Matrix, weightBits: Int) {
        precondition(weightBits == 7 || weightBits == 8, "Int8Linear: weights are 7 or 8 bits")
        guard Self.isAvailable, let library = OneDNNLibrary.shared else { return nil }
        self.library = library
        self.weightBits = weightBits
        outputs = weight.rows
        inputs = weight.columns
        let largestCode = Float((1 << (weightBits - 1)) - 1)
        var codes = [Int8](repeating: 0, count: weight.count)
        var scales = [Float](repeating: 1, count: outputs)
        var sums = [Int32](repeating: 0, count: outputs)
        for row in 0..<outputs {
            let values = (0..<inputs).map { weight[row, $0] }
            let largest = values.reduce(0) { max($0, abs($1)) }
            let scale = largest > 0 ? largest / largestCode : 1
            scales[row] = scale
            for (column, value) in values.enumerated() {
                let code = Int8(max(-largestCode, min(largestCode, (value / scale).rounded())))
                codes[row * inputs + column] = code
                sums[row] += Int32(code)
            }
        }
        self.codes = codes
        self.scales = scales
        codeSums = sums
    }

    /// Whether this machine runs int8 products exactly.
    public static var isAvailable: Bool { requirementMissingHere == nil }

    /// What keeps int8 products from running on this machine, or nil when they run.
    public static let requirementMissingHere = requirementMissing(cpuFlags: CPUFeatures.flags,
                                                                  oneDNN: OneDNNLibrary.shared != nil)

    /// What keeps int8 products from running on a CPU with `cpuFlags`, in words for a person, or nil when they run:
    /// they need oneDNN and AVX2 (older CPUs would run them slower than fp32). Exactness does not depend on the CPU:
    /// see `weightBits(cpuFlags:oneDNNISA:)`.
    public static func requirementMissing(cpuFlags: Set<Substring>, oneDNN: Bool) -> String? {
        if !oneDNN { return "oneDNN (Debian's libdnnl2) is not installed" }
        if !cpuFlags.contains("avx2") { return "the CPU has no AVX2" }
        return nil
    }

    /// The weight codes' width on this machine (see `weightBits(cpuFlags:oneDNNISA:)`).
    public static let weightBitsHere = weightBits(cpuFlags: CPUFeatures.flags,
                                                  oneDNNISA: OneDNNLibrary.shared?.effectiveISA)

    /// The widest weight codes whose products cannot saturate on a CPU with `cpuFlags` whose oneDNN runs kernels of
    /// instruction set `oneDNNISA` (`dnnl_get_effective_cpu_isa`; nil when unknown): 8 bits only where both the CPU
    /// and oneDNN's kernels have VNNI, else 7. Why both: `ONEDNN_MAX_CPU_ISA=AVX2` makes oneDNN run its AVX2
    /// kernels on a VNNI CPU, and an unknown ISA must be assumed to saturate.
    public static func weightBits(cpuFlags: Set<Substring>, oneDNNISA: UInt32?) -> Int {
        let cpu = cpuFlags.contains("avx512_vnni") || cpuFlags.contains("avx_vnni")
        return cpu && oneDNNISA.map(OneDNNLibrary.multipliesWithVNNI) == true ? 8 : 7
    }

    /// `output = input · Wᵀ + bias (+ residual)`, with each input row quantized to u8 on its own range
    /// (asymmetric: the row's minimum and maximum, zero included, map to 0 and 255).
    public func forward(_ input: Matrix, bias: [Float], residual: Matrix? = nil,
                        into output: inout Matrix, scratch: inout Int8Scratch) {
        precondition(input.columns == inputs && bias.count == outputs, "Int8Linear: shapes do not match")
        let rows = input.rows
        output.resize(rows: rows, columns: outputs)
        guard rows > 0 else { return }
        scratch.reserve(rows: rows, inputs: inputs, outputs: outputs)
        input.withUnsafeBufferPointer { x in scratch.quantize(x.baseAddress!, rows: rows, columns: inputs) }
        // One OpenMP thread per product (a per-thread setting): the caller runs batches on several threads itself.
        library.setThreads?(1)
        let status = scratch.codes.withUnsafeBufferPointer { a in
            codes.withUnsafeBufferPointer { b in
                scratch.products.withUnsafeMutableBufferPointer { c in
                    var offset: Int32 = 0
                    return library.gemmU8S8S32(
                        CChar(UInt8(ascii: "N")), CChar(UInt8(ascii: "T")), CChar(UInt8(ascii: "F")),
                        Int64(rows), Int64(outputs), Int64(inputs), 1,
                        a.baseAddress!, Int64(inputs), 0, b.baseAddress!, Int64(inputs), 0,
                        0, c.baseAddress!, Int64(outputs), &offset)
                }
            }
        }
        // dnnl_gemm_u8s8s32 only fails on invalid arguments, which the shapes above rule out.
        precondition(status == 0, "dnnl_gemm_u8s8s32 failed with status \(status)")
        dequantize(rows: rows, bias: bias, residual: residual, into: &output, scratch: scratch)
    }

    /// `output[r, c] = rowScale[r] · scale[c] · (product[r, c] - zero[r] · codeSum[c]) + bias[c] (+ residual)`, in
    /// CKernels (vectorized for the CPU's widest instruction set).
    private func dequantize(rows: Int, bias: [Float], residual: Matrix?, into output: inout Matrix,
                            scratch: Int8Scratch) {
        if let residual {
            precondition(residual.rows == rows && residual.columns == outputs, "Int8Linear: residual shape differs")
        }
        output.withUnsafeMutableBufferPointer { out in
            // The arrays pass as pointers valid for the call; only the optional residual needs its own scope.
            func apply(adding residual: UnsafePointer<Float>?) {
                qk_dequantize_rows(widestKernels, scratch.products, rows, outputs, scratch.rowScales, scratch.rowZeros,
                                   scales, codeSums, bias, residual, out.baseAddress!)
            }
            if let residual {
                residual.withUnsafeBufferPointer { apply(adding: $0.baseAddress) }
            } else {
                apply(adding: nil)
            }
        }
    }
}

/// The per-call buffers of `Int8Linear.forward`; they only grow, so steady-state calls allocate nothing.
public struct Int8Scratch: Sendable {
    var codes: [UInt8] = []
    var rowScales: [Float] = []
    var rowZeros: [Int32] = []
    var products: [Int32] = []

    public init() {}

    mutating func reserve(rows: Int, inputs: Int, outputs: Int) {
        if codes.count < rows * inputs { codes = [UInt8](repeating: 0, count: rows * inputs) }
        if rowScales.count < rows {
            rowScales = [Float](repeating: 0, count: rows)
            rowZeros = [Int32](repeating: 0, count: rows)
        }
        if products.count < rows * outputs { products = [Int32](repeating: 0, count: rows * outputs) }
    }

    /// Quantizes each row of `x` to u8 codes on its own `[min(0, min x), max(0, max x)]` range (CKernels'
    /// `qk_quantize_rows`, vectorized for the CPU's widest instruction set: scalar min/max and checked float-to-int
    /// conversion in Swift made this ~40% of an int8 forward pass).
    mutating func quantize(_ x: UnsafePointer<Float>, rows: Int, columns: Int) {
        qk_quantize_rows(widestKernels, x, rows, columns, &codes, &rowScales, &rowZeros)
    }
}

