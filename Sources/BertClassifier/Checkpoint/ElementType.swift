/// The element types a checkpoint tensor can be stored in.
///
/// Why: safetensors names them (`F32`), PyTorch names storages (`FloatStorage`); both map here so conversion to
/// Float is written once.
enum ElementType: Equatable, Sendable {
    case float32, float16, bfloat16, int64
    /// Any other type, by the name the file used; only an error if the model asks for such a tensor.
    case unsupported(String)

    /// Bytes per element, when known.
    var byteSize: Int? {
        switch self {
        case .float32: 4
        case .float16, .bfloat16: 2
        case .int64: 8
        case .unsupported: nil
        }
    }

    /// The name used in error messages.
    var name: String {
        switch self {
        case .float32: "F32"
        case .float16: "F16"
        case .bfloat16: "BF16"
        case .int64: "I64"
        case .unsupported(let name): name
        }
    }

    /// From a safetensors header `dtype`.
    init(safetensorsName: String) {
        switch safetensorsName {
        case "F32": self = .float32
        case "F16": self = .float16
        case "BF16": self = .bfloat16
        case "I64": self = .int64
        default: self = .unsupported(safetensorsName)
        }
    }

    /// From a `torch.*Storage` class name in a pickled state dict.
    init(torchStorage: String) {
        switch torchStorage {
        case "FloatStorage": self = .float32
        case "HalfStorage": self = .float16
        case "BFloat16Storage": self = .bfloat16
        case "LongStorage": self = .int64
        default: self = .unsupported(torchStorage)
        }
    }
}
