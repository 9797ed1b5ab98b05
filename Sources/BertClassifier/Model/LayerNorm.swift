import TensorMath

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
