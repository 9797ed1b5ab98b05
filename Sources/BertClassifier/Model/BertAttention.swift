import TensorMath

/// HF `BertAttention`: self-attention, then `BertSelfOutput` (dense + residual + LayerNorm).
/// Mirrors https://github.com/huggingface/transformers/blob/v5.25.0/src/transformers/models/bert/modeling_bert.py#L283-L324
struct BertAttention {
    var selfAttention: BertSelfAttention
    var outputDense: Linear
    var outputLayerNorm: LayerNorm

    /// Loads `attention.self.*`, `attention.output.dense.*` and `attention.output.LayerNorm.*`.
    init(_ loader: WeightLoader, config: BertConfig) throws {
        let hidden = config.hiddenSize
        selfAttention = try BertSelfAttention(loader.child("self"), config: config)
        outputDense = try Linear(loader.child("output").child("dense"), inputs: hidden, outputs: hidden)
        outputLayerNorm = try LayerNorm(loader.child("output").child("LayerNorm"), size: hidden, epsilon: config.layerNormEpsilon)
    }

    /// Leaves LayerNorm(dense(attention(hidden)) + hidden) in `pass.buffers.attentionOutput`; with
    /// `firstTokensOnly`, only for each sequence's first token (one row per sequence).
    func forward(_ hidden: Matrix, _ pass: ForwardPass, firstTokensOnly: Bool) {
        let buffers = pass.buffers
        selfAttention.forward(hidden, pass, firstTokensOnly: firstTokensOnly)
        var residual = hidden
        if firstTokensOnly {
            hidden.gatherRows(pass.layout.starts, into: &buffers.firstTokens)
            residual = buffers.firstTokens
        }
        outputDense.forward(buffers.attentionContext, residual: residual, into: &buffers.attentionOutput, pass)
        outputLayerNorm.forward(&buffers.attentionOutput)
    }
}
