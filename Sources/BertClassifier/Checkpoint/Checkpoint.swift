import Foundation

/// Where one tensor's values lie in a checkpoint file.
struct CheckpointTensor: Sendable {
    var dtype: ElementType
    var shape: [Int]
    /// Absolute byte offset of the first element in the file (already bounds-checked against the file size).
    var byteOffset: Int
    /// False for a strided view (PyTorch archives only); an error only if the model asks for the tensor.
    var isContiguous = true

    var elementCount: Int { shape.reduce(1, *) }

    /// The number of elements of `shape`, or nil when a dimension is negative or the product overflows; readers
    /// reject such shapes so `elementCount` is safe afterwards.
    static func checkedElementCount(_ shape: [Int]) -> Int? {
        var count = 1
        for dimension in shape {
            guard dimension >= 0 else { return nil }
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow else { return nil }
            count = product
        }
        return count
    }
}

/// A loaded weights file: its bytes plus an index of named tensors, converted to Float on request.
///
/// Why: safetensors and PyTorch's zip format differ only in how the index is found; after that, reading a tensor
/// is the same (offset, dtype, shape), so the model loader sees one type whichever file the directory holds.
struct Checkpoint {
    /// The file's bytes, memory-mapped where possible.
    let view: ByteView
    /// Tensors by state-dict key.
    let tensors: [String: CheckpointTensor]

    var file: String { view.file }

    /// Opens `model.safetensors` or `pytorch_model.bin` (chosen by extension: `.safetensors` or anything else).
    static func open(_ url: URL) throws -> Checkpoint {
        let path = url.path
        guard FileManager.default.fileExists(atPath: path) else { throw ModelLoadError.missingFile(path: path) }
        let bytes: Data
        do { bytes = try Data(contentsOf: url, options: .mappedIfSafe) } catch {
            throw ModelLoadError.unreadableFile(path: path, reason: error.localizedDescription)
        }
        return try Checkpoint(bytes: bytes, file: path, safetensors: url.pathExtension == "safetensors")
    }

    /// Indexes a weights file already in memory; `file` is only used in error messages.
    init(bytes: Data, file: String, safetensors: Bool) throws {
        view = ByteView(bytes: bytes, file: file)
        tensors = safetensors ? try SafetensorsIndex.read(view) : try TorchArchiveIndex.read(view)
    }

    /// The values of tensor `name` as Float, after checking its shape is `shape`.
    func floats(_ name: String, shape expected: [Int]) throws -> [Float] {
        guard let tensor = tensors[name] else { throw ModelLoadError.missingTensor(file: file, tensor: name) }
        guard tensor.shape == expected else {
            throw ModelLoadError.shapeMismatch(file: file, tensor: name, expected: expected, found: tensor.shape)
        }
        guard tensor.isContiguous else { throw ModelLoadError.nonContiguous(file: file, tensor: name) }
        let count = tensor.elementCount
        guard let size = tensor.dtype.byteSize, tensor.dtype != .int64 else {
            throw ModelLoadError.unsupportedDType(file: file, tensor: name, dtype: tensor.dtype.name)
        }
        try view.requireRange(tensor.byteOffset, count * size, tensor: name, "tensor data")
        return view.bytes.withUnsafeBytes { raw in
            let base = raw.baseAddress! + tensor.byteOffset
            return [Float](unsafeUninitializedCapacity: count) { out, initialized in
                switch tensor.dtype {
                case .float32:
                    for i in 0..<count {
                        out[i] = Float(bitPattern: UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
                    }
                case .float16:
                    for i in 0..<count {
                        out[i] = Self.halfToFloat(UInt16(littleEndian: base.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
                    }
                case .bfloat16:
                    for i in 0..<count {
                        let bits = UInt16(littleEndian: base.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
                        out[i] = Float(bitPattern: UInt32(bits) << 16)
                    }
                case .int64, .unsupported:
                    break  // rejected above
                }
                initialized = count
            }
        }
    }

    /// IEEE binary16 → binary32, exact for every value (subnormals, infinities and NaN included).
    static func halfToFloat(_ bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = Int(bits >> 10) & 0x1F
        let mantissa = UInt32(bits & 0x03FF)
        switch exponent {
        case 0:
            // Zero or subnormal: mantissa · 2^-24.
            let magnitude = Float(mantissa) * Float(sign: .plus, exponent: -24, significand: 1)
            return sign == 0 ? magnitude : -magnitude
        case 0x1F:
            return Float(bitPattern: sign | 0x7F80_0000 | mantissa << 13)
        default:
            return Float(bitPattern: sign | UInt32(exponent + 112) << 23 | mantissa << 13)
        }
    }
}
