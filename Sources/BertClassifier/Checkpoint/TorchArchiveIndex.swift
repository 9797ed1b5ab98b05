/// Reads the tensor index of a `torch.save` zip archive (`pytorch_model.bin`).
///
/// Why: the reference multi-task checkpoint is in this format. The archive holds `<folder>/data.pkl` (the pickled
/// state dict; the folder name depends on how the file was saved) and one `<folder>/data/<key>` entry per storage.
enum TorchArchiveIndex {
    static func read(_ view: ByteView) throws -> [String: CheckpointTensor] {
        let file = view.file
        guard view.count >= 4 else {
            throw ModelLoadError.truncated(file: file, tensor: nil, reason: "\(view.count) bytes, not a zip archive")
        }
        guard try view.uint32(at: 0, "zip signature") == 0x0403_4b50 else {
            throw ModelLoadError.malformed(file: file, tensor: nil,
                                           reason: "not a zip archive (the pre-1.6 torch.save format is not supported; re-save it)")
        }
        let directory = try ZipDirectory(view)
        guard let pickleName = directory.entries.keys
            .filter({ $0.hasSuffix("/data.pkl") && $0.split(separator: "/").count == 2 })
            .min(),
            let pickle = directory.entries[pickleName]
        else { throw ModelLoadError.malformed(file: file, tensor: nil, reason: "no <folder>/data.pkl in the zip archive") }
        let folder = pickleName.dropLast("data.pkl".count)

        var machine = PickleMachine(view: view, offset: pickle.offset, length: pickle.size)
        guard case .dict(let stateDict) = try machine.run() else {
            throw ModelLoadError.malformed(file: file, tensor: nil, reason: "data.pkl does not hold a state dict")
        }
        var tensors: [String: CheckpointTensor] = [:]
        for (key, value) in stateDict.entries {
            guard case .string(let name) = key, case .tensor(let tensor) = value else { continue }
            tensors[name] = try locate(tensor, named: name, folder: folder, in: directory, file: file)
        }
        return tensors
    }

    /// Finds where `tensor`'s data lies, checking that a contiguous tensor fits inside its storage entry.
    private static func locate(_ tensor: PickledTensor, named name: String, folder: Substring,
                               in directory: ZipDirectory, file: String) throws -> CheckpointTensor {
        guard let storage = directory.entries["\(folder)data/\(tensor.storageKey)"] else {
            throw ModelLoadError.truncated(file: file, tensor: name, reason: "storage data/\(tensor.storageKey) is not in the archive")
        }
        guard let count = CheckpointTensor.checkedElementCount(tensor.shape), tensor.storageOffset >= 0 else {
            throw ModelLoadError.malformed(file: file, tensor: name, reason: "invalid shape \(tensor.shape)")
        }
        var expectedStride = 1
        var isContiguous = true
        for (dimension, stride) in zip(tensor.shape, tensor.stride).reversed() {
            if dimension > 1 && stride != expectedStride { isContiguous = false }
            expectedStride = expectedStride &* dimension  // only compared; shapes with a 0 may wrap
        }
        var result = CheckpointTensor(dtype: tensor.dtype, shape: tensor.shape, byteOffset: storage.offset,
                                      isContiguous: isContiguous)
        // Unsupported types and strided views fail only when requested; their extent is not checked here.
        guard let size = tensor.dtype.byteSize, isContiguous else { return result }
        let (first, overflowA) = tensor.storageOffset.multipliedReportingOverflow(by: size)
        let (length, overflowB) = count.multipliedReportingOverflow(by: size)
        guard !overflowA, !overflowB, first <= storage.size, length <= storage.size - first else {
            throw ModelLoadError.truncated(file: file, tensor: name,
                                           reason: "tensor runs past the end of storage data/\(tensor.storageKey)")
        }
        result.byteOffset += first
        return result
    }
}
