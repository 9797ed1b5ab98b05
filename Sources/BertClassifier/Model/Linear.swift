import TensorMath

/// `torch.nn.Linear`: `y = x · Wᵀ + b`, weight stored `[out, in]` as in the checkpoint.
struct Linear {
    var weight: Matrix
    var bias: [Float]
    /// The int8 copy of `weight` the encoder layers run on when the classifier was loaded with `.int8`.
    var quantized: Int8Linear?

    /// Loads `<prefix>.weight` and `<prefix>.bias`.
    init(_ loader: WeightLoader, inputs: Int, outputs: Int) throws {
        weight = try loader.matrix("weight", rows: outputs, columns: inputs)
        bias = try loader.vector("bias", count: outputs)
    }

    /// Stacks the output rows of several layers over the same input into one (fused QKV projection).
    init(stacking parts: [Linear]) {
        let inputs = parts[0].weight.columns
        let rows = parts.reduce(0) { $0 + $1.weight.rows }
        weight = Matrix(rows: rows, columns: inputs, values: parts.flatMap { $0.weight.storage[0..<$0.weight.count] })
        bias = parts.flatMap(\.bias)
    }

    /// `output = input · Wᵀ + b`.
    func forward(_ input: Matrix, into output: inout Matrix, gemm: any GEMM) {
        gemm.linear(input, weight: weight, into: &output)
        output.addRowVector(bias)
    }

    /// `output = input · Wᵀ + b + residual`.
    func forward(_ input: Matrix, residual: Matrix, into output: inout Matrix, gemm: any GEMM) {
        gemm.linear(input, weight: weight, into: &output)
        output.addRowVector(bias, residual: residual)
    }

    /// `output = input · Wᵀ + b (+ residual)` on the int8 weights when there are any, else in fp32.
    func forward(_ input: Matrix, residual: Matrix? = nil, into output: inout Matrix, gemm: any GEMM,
                 int8 scratch: inout Int8Scratch) {
        if let quantized {
            quantized.forward(input, bias: bias, residual: residual, into: &output, scratch: &scratch)
        } else if let residual {
            forward(input, residual: residual, into: &output, gemm: gemm)
        } else {
            forward(input, into: &output, gemm: gemm)
        }
    }

    /// Makes `forward(_:residual:into:gemm:int8:)` use int8 weights (no-op where int8 is unavailable).
    mutating func quantize() {
        quantized = Int8Linear(weight: weight)
    }
}

/// `torch.nn.LayerNorm` parameters (`weight` = gamma, `bias` = beta) and its epsilon.
struct LayerNorm {
    var gamma: [Float]
    var beta: [Float]
    var epsilon: Float

    init(_ loader: WeightLoader, size: Int, epsilon: Float) throws {
        gamma = try loader.vector("weight", count: size)
        beta = try loader.vector("bias", count: size)
        self.epsilon = epsilon
    }

    func forward(_ values: inout Matrix) {
        values.layerNormalizeRows(gamma: gamma, beta: beta, epsilon: epsilon)
    }
}
