import Foundation

/// Reads the tensor index of a `.safetensors` file: an 8-byte little-endian header length, a JSON header mapping
/// each name to `{dtype, shape, data_offsets}`, then the raw data those offsets point into.
///
/// Why: it is HuggingFace's default weights format and the shipped model's format (fp16).
enum SafetensorsIndex {
    static func read(_ view: ByteView) throws -> [String: CheckpointTensor] {
        let file = view.file
        let headerLength = try view.uint64(at: 0, "safetensors header length")
        try view.requireRange(8, headerLength, "safetensors header")
        let header = try view.slice(8, headerLength, "safetensors header")
        guard let json = try? JSONSerialization.jsonObject(with: header) as? [String: Any] else {
            throw ModelLoadError.malformed(file: file, tensor: nil, reason: "header is not a JSON object")
        }
        let dataStart = 8 + headerLength
        let dataLength = view.count - dataStart
        var tensors: [String: CheckpointTensor] = [:]
        for (name, value) in inFileOrder(json) {
            guard let entry = value as? [String: Any],
                  let dtypeName = entry["dtype"] as? String,
                  let shape = (entry["shape"] as? [NSNumber])?.map({ $0.intValue }),
                  let offsets = (entry["data_offsets"] as? [NSNumber])?.map({ $0.intValue }),
                  offsets.count == 2
            else {
                throw ModelLoadError.malformed(file: file, tensor: name, reason: "header entry lacks dtype, shape or data_offsets")
            }
            guard let count = CheckpointTensor.checkedElementCount(shape) else {
                throw ModelLoadError.malformed(file: file, tensor: name, reason: "invalid shape \(shape)")
            }
            let (begin, end) = (offsets[0], offsets[1])
            guard begin >= 0, end >= begin else {
                throw ModelLoadError.malformed(file: file, tensor: name, reason: "invalid data_offsets \(offsets)")
            }
            guard end <= dataLength else {
                throw ModelLoadError.truncated(file: file, tensor: name,
                                               reason: "data ends at byte \(dataStart + end), file has \(view.count)")
            }
            let dtype = ElementType(safetensorsName: dtypeName)
            if let size = dtype.byteSize {
                let (byteCount, overflow) = count.multipliedReportingOverflow(by: size)
                guard !overflow, byteCount == end - begin else {
                    throw ModelLoadError.malformed(file: file, tensor: name,
                                                   reason: "\(end - begin) bytes for \(count) \(dtype.name) values")
                }
            }
            tensors[name] = CheckpointTensor(dtype: dtype, shape: shape, byteOffset: dataStart + begin)
        }
        return tensors
    }

    /// The header's tensor entries in the order their data lies in the file (then by name): a parsed JSON object
    /// has no order (Swift's dictionaries even differ per process), and a damaged file must name the same tensor,
    /// the first damaged one, on every run.
    private static func inFileOrder(_ json: [String: Any]) -> [(name: String, value: Any)] {
        func start(_ value: Any) -> Int {
            ((value as? [String: Any])?["data_offsets"] as? [NSNumber])?.first?.intValue ?? Int.max
        }
        return json.filter { $0.key != "__metadata__" }
            .map { (name: $0.key, value: $0.value) }
            .sorted { (start($0.value), $0.name) < (start($1.value), $1.name) }
    }
}
