/// Why a model directory could not be loaded.
///
/// Why: a checkpoint comes from outside (a training run, a download), so every problem must say which file and
/// which tensor to look at instead of crashing or producing silently wrong probabilities.
public enum ModelLoadError: Error, CustomStringConvertible, Equatable {
    /// A required file does not exist.
    case missingFile(path: String)
    /// The file exists but could not be read.
    case unreadableFile(path: String, reason: String)
    /// `config.json` is not a usable BERT configuration.
    case invalidConfig(file: String, reason: String)
    /// The file's structure (safetensors header, zip directory, pickle) is broken; `tensor` when one is at fault.
    case malformed(file: String, tensor: String?, reason: String)
    /// The file ends before data it declares.
    case truncated(file: String, tensor: String?, reason: String)
    /// A tensor the model needs is stored in an element type the loader cannot convert to Float.
    case unsupportedDType(file: String, tensor: String, dtype: String)
    /// A tensor the model needs is not in the checkpoint.
    case missingTensor(file: String, tensor: String)
    /// A tensor has a different shape than `config.json` implies.
    case shapeMismatch(file: String, tensor: String, expected: [Int], found: [Int])
    /// A zip entry is compressed; `torch.save` stores entries uncompressed, so this file was repacked.
    case compressedEntry(file: String, entry: String)
    /// A tensor is a strided view of its storage; only contiguous tensors are supported.
    case nonContiguous(file: String, tensor: String)
    /// No model was named and the shipped one is in none of the places searched.
    case noDefaultModel(name: String, searched: [String])
    /// The matrix-multiply backend that was asked for cannot run here.
    case unavailableBackend(name: String, reason: String)

    public var description: String {
        switch self {
        case .missingFile(let path):
            "model file not found: \(path)"
        case .unreadableFile(let path, let reason):
            "cannot read \(path): \(reason)"
        case .invalidConfig(let file, let reason):
            "\(file): invalid BERT config: \(reason)"
        case .malformed(let file, let tensor, let reason):
            "\(file): malformed checkpoint\(Self.naming(tensor)): \(reason)"
        case .truncated(let file, let tensor, let reason):
            "\(file): truncated file\(Self.naming(tensor)): \(reason)"
        case .unsupportedDType(let file, let tensor, let dtype):
            "\(file): tensor '\(tensor)' has unsupported dtype \(dtype) (expected F32, F16 or BF16)"
        case .missingTensor(let file, let tensor):
            "\(file): tensor '\(tensor)' is missing"
        case .shapeMismatch(let file, let tensor, let expected, let found):
            "\(file): tensor '\(tensor)' has shape \(found), expected \(expected)"
        case .compressedEntry(let file, let entry):
            "\(file): zip entry '\(entry)' is compressed; torch.save writes stored entries, re-save the checkpoint with torch.save"
        case .nonContiguous(let file, let tensor):
            "\(file): tensor '\(tensor)' is not contiguous; save a .contiguous() copy"
        case .noDefaultModel(let name, let searched):
            "no model given and the shipped model \(name) is in none of: \(searched.joined(separator: ", ")); "
                + "pass --model DIR or set QUERYKIND_MODEL"
        case .unavailableBackend(let name, let reason):
            "matrix-multiply backend \(name) is unavailable: \(reason)"
        }
    }

    private static func naming(_ tensor: String?) -> String {
        tensor.map { " at tensor '\($0)'" } ?? ""
    }
}
