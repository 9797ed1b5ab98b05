import TensorMath

/// `torch.nn.Linear`: `y = x · Wᵀ + b`, weight stored `[out, in]` as in the checkpoint.
struct Linear {
    var weight: Matrix
    var bias: [Float]
    /// A lower-precision copy of `weight` the encoder layers run on when the classifier was loaded with `.int8` or
    /// `.bfloat16`; nil runs fp32.
    var lowered: Lowered?

    /// The weights in a lower precision, with the kernel that multiplies them.
    enum Lowered {
        case int8(Int8Linear)
        case bfloat16(BFloat16Linear)
    }

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

    /// `output = input · Wᵀ + b (+ residual)`, on the lowered weights when there are any, else in fp32.
    func forward(_ input: Matrix, residual: Matrix? = nil, into output: inout Matrix, _ pass: ForwardPass) {
        switch lowered {
        case .int8(let weights):
            return weights.forward(input, bias: bias, residual: residual, into: &output, scratch: &pass.buffers.int8)
        case .bfloat16(let weights):
            return weights.forward(input, bias: bias, residual: residual, into: &output, scratch: &pass.buffers.bf16)
        case nil:
            break
        }
        pass.gemm.linear(input, weight: weight, into: &output)
        output.addBias(bias, residual: residual)
    }

    /// Makes `forward` run in `precision` (fp32 where that precision is unavailable here).
    mutating func lower(to precision: NumericPrecision) {
        switch precision {
        case .float32: lowered = nil
        case .int8: lowered = Int8Linear(weight: weight).map(Lowered.int8)
        case .bfloat16: lowered = BFloat16Linear(weight: weight).map(Lowered.bfloat16)
        }
    }
}
