import TensorMath

/// Walks a checkpoint's key hierarchy the way HuggingFace modules name their weights.
///
/// Why: each model struct loads its own tensors by the key path of the PyTorch module it mirrors
/// (`loader.child("attention").child("self")`), so anyone holding a `state_dict` key can find the code that reads
/// it, and every shape check can name the full key.
struct WeightLoader {
    let checkpoint: Checkpoint
    /// Key prefix including the trailing dot, e.g. `"bert.encoder.layer.0."`.
    let prefix: String

    /// A loader at the root of `checkpoint`.
    init(_ checkpoint: Checkpoint, prefix: String = "") {
        self.checkpoint = checkpoint
        self.prefix = prefix
    }

    /// The loader for a submodule.
    func child(_ name: String) -> WeightLoader {
        WeightLoader(checkpoint, prefix: prefix + name + ".")
    }

    /// Whether the checkpoint has a tensor at `name` below this prefix.
    func contains(_ name: String) -> Bool {
        checkpoint.tensors[prefix + name] != nil
    }

    /// A 2-D tensor of shape `[rows, columns]` (PyTorch's `[out, in]` for linear weights).
    func matrix(_ name: String, rows: Int, columns: Int) throws -> Matrix {
        Matrix(rows: rows, columns: columns, values: try checkpoint.floats(prefix + name, shape: [rows, columns]))
    }

    /// A 1-D tensor of `count` values (biases, LayerNorm parameters).
    func vector(_ name: String, count: Int) throws -> [Float] {
        try checkpoint.floats(prefix + name, shape: [count])
    }
}
