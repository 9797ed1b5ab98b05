import CKernels
import Foundation

/// The weights of one `nn.Linear` quantized to int8, one scale per output row, for `Int8Linear.forward`.
///
/// Why: u8 x s8 products run about 4x the multiply-adds per second of fp32 with VNNI and about 2x on AVX2, and the
/// encoder's time is ~70% matrix products. Symmetric per-row weight scales keep each output channel's own range.
/// The products are CKernels' own (`qk_int8_linear`): weights packed once at load, and the int32 sums turned into
/// floats (zero point, scales, bias, residual) in registers; oneDNN's `gemm_u8s8s32` repacked the weights on every
/// call and wrote the sums out for a second pass.
///
/// Why 7-bit weights without VNNI: there, x86 multiplies u8 x s8 with `vpmaddubsw`, which adds each pair of
/// products in 16 bits and saturates at 32,767. Activation codes reach 255, so 8-bit weight codes (|w| ≤ 127) can
/// clip a pair (2 × 255 × 127 = 64,770) silently; codes |w| ≤ 63 cannot (2 × 255 × 63 = 32,130), so every product
/// is exact, at one bit less weight resolution (ONNX Runtime's `reduce_range`). With VNNI (`vpdpbusd`, 32-bit
/// sums) weights keep all 8 bits. Activations go with the weights: codes up to 255 with 8-bit weights, up to 127
/// with 7-bit ones, so that the AVX2 kernel can add two pair sums in 16 bits before widening (3 multiply
/// instructions per 8 products instead of 4; test-split accuracy within 0.04 point of 8-bit codes, docs/model.md).
public struct Int8Linear: Sendable {
    /// `qk_int8_pack`'s layout of the `[outputs, inputs]` codes in ±`largestCode` (`weight ≈ code · scale[row]`).
    let packed: [Int8]
    let scales: [Float]
    /// `Σ_k codes[row, k]`: removes the activations' zero point from the integer product.
    let codeSums: [Int32]
    public let outputs: Int
    public let inputs: Int
    /// The weight codes' width: 8 (|code| ≤ 127) where the products run with VNNI, else 7 (|code| ≤ 63).
    public let weightBits: Int
    /// The CKernels level the products run at.
    let level: Int32

    /// Quantizes a `[outputs, inputs]` weight to the widest codes whose products are exact here; nil when int8
    /// products do not run here (`isAvailable`).
    public init?(weight: Matrix) {
        guard Self.isAvailable else { return nil }
        self.init(weight: weight, level: Self.levelHere)
    }

    /// Runs the products at `level` (at most this CPU's) with `weightBits`-bit codes (7 or 8; by default the widest
    /// exact at `level`): tests use it to run every level this CPU has, and to show that 8-bit codes clip on levels
    /// without VNNI and 7-bit codes do not.
    init(weight: Matrix, level: Int32, weightBits: Int? = nil) {
        let weightBits = weightBits ?? Int(qk_int8_weight_bits(level))
        precondition(weightBits == 7 || weightBits == 8, "Int8Linear: weights are 7 or 8 bits")
        precondition(level <= qk_supported_level(), "Int8Linear: level \(level) is above this CPU's")
        self.level = level
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
        var packed = [Int8](repeating: 0, count: qk_int8_packed_size(outputs, inputs))
        qk_int8_pack(codes, outputs, inputs, &packed)
        self.packed = packed
        self.scales = scales
        codeSums = sums
    }

    /// Whether this machine runs int8 products.
    public static var isAvailable: Bool { requirementMissingHere == nil }

    /// The CKernels level int8 products run at here: this CPU's, capped by `ONEDNN_MAX_CPU_ISA`.
    static let levelHere = qk_supported_level()

    /// What keeps int8 products from running on this machine, or nil when they run.
    public static let requirementMissingHere = requirementMissing(
        cpuFlags: CPUFeatures.flags, isaCap: ProcessInfo.processInfo.environment["ONEDNN_MAX_CPU_ISA"])

    /// What keeps int8 products from running on a CPU with `cpuFlags` under `ONEDNN_MAX_CPU_ISA=isaCap`, in words for
    /// a person, or nil when they run: they need AVX2 with FMA (older CPUs would run them slower than fp32).
    public static func requirementMissing(cpuFlags: Set<Substring>, isaCap: String?) -> String? {
        if level(cpuFlags: cpuFlags, isaCap: nil) < QK_LEVEL_AVX2 { return "the CPU has no AVX2 with FMA" }
        if let isaCap, level(cpuFlags: cpuFlags, isaCap: isaCap) < QK_LEVEL_AVX2 {
            return "ONEDNN_MAX_CPU_ISA=\(isaCap) rules out AVX2"
        }
        return nil
    }

    /// The CKernels level of a CPU with `cpuFlags` under `ONEDNN_MAX_CPU_ISA=isaCap` (nil: unset), as
    /// `qk_supported_level` decides it for this CPU.
    public static func level(cpuFlags: Set<Substring>, isaCap: String?) -> Int32 {
        let avx512 = ["avx512f", "avx512bw", "avx512vl"].allSatisfy { cpuFlags.contains(Substring($0)) }
        return qk_level_for(cpuFlags.contains("avx2") && cpuFlags.contains("fma") ? 1 : 0, avx512 ? 1 : 0,
                            cpuFlags.contains("avx512_vnni") ? 1 : 0, isaCap)
    }

    /// The weight codes' width on this machine: 8 with AVX-512 VNNI, else 7 (see the type's comment).
    public static let weightBitsHere = Int(qk_int8_weight_bits(levelHere))

    /// The int8 kernels this machine runs, in words (`bench` reports it beside its figures, since the same `+int8`
    /// id covers kernels 3-4x apart in speed): "AVX-512 VNNI, 8-bit codes", "AVX2, 7-bit codes", …; nil where int8
    /// does not run.
    public static var kernelsHere: String? {
        guard isAvailable else { return nil }
        let name = switch levelHere {
        case Int32(QK_LEVEL_AVX512_VNNI): "AVX-512 VNNI"
        case Int32(QK_LEVEL_AVX512): "AVX-512"
        default: "AVX2"
        }
        return "\(name), \(weightBitsHere)-bit codes"
    }

    /// `output = input · Wᵀ + bias (+ residual)`, with each input row quantized on its own range (asymmetric: the
    /// row's minimum and maximum, zero included, map to 0 and the largest code, 255 or 127 as the weights' width).
    public func forward(_ input: Matrix, bias: [Float], residual: Matrix? = nil,
                        into output: inout Matrix, scratch: inout Int8Scratch) {
        precondition(input.columns == inputs && bias.count == outputs, "Int8Linear: shapes do not match")
        if let residual {
            precondition(residual.rows == input.rows && residual.columns == outputs,
                         "Int8Linear: residual shape differs")
        }
        let rows = input.rows
        output.resize(rows: rows, columns: outputs)
        guard rows > 0 else { return }
        input.withUnsafeBufferPointer { x in
            scratch.quantize(x.baseAddress!, rows: rows, columns: inputs,
                             largestCode: qk_int8_largest_activation(Int32(weightBits)))
        }
        output.withUnsafeMutableBufferPointer { out in
            // The arrays pass as pointers valid for the call; only the optional residual needs its own scope.
            func run(adding residual: UnsafePointer<Float>?) {
                qk_int8_linear(level, scratch.codes, rows, inputs, packed, outputs, scratch.rowScales,
                               scratch.rowZeros, scales, codeSums, bias, residual, out.baseAddress!)
            }
            if let residual {
                residual.withUnsafeBufferPointer { run(adding: $0.baseAddress) }
            } else {
                run(adding: nil)
            }
        }
    }
}

/// The per-call buffers of `Int8Linear.forward`; they only grow, so steady-state calls allocate nothing.
public struct Int8Scratch: Sendable {
    var codes: [UInt8] = []
    var rowScales: [Float] = []
    var rowZeros: [Int32] = []

    public init() {}

    /// Quantizes each row of `x` to codes 0...`largestCode` on its own `[min(0, min x), max(0, max x)]` range, in
    /// rows of `qk_int8_code_stride(columns)` bytes (CKernels' `qk_quantize_rows`, vectorized for the CPU's widest
    /// instruction set: scalar min/max and checked float-to-int conversion in Swift made this ~40% of an int8
    /// forward pass).
    mutating func quantize(_ x: UnsafePointer<Float>, rows: Int, columns: Int, largestCode: Int32) {
        let stride = qk_int8_code_stride(columns)
        if codes.count < rows * stride { codes = [UInt8](repeating: 0, count: rows * stride) }
        if rowScales.count < rows {
            rowScales = [Float](repeating: 0, count: rows)
            rowZeros = [Int32](repeating: 0, count: rows)
        }
        qk_quantize_rows(widestKernels, x, rows, columns, stride, largestCode, &codes, &rowScales, &rowZeros)
    }
}

