import TensorMath

/// HF `BertLayer`: attention block, then the feed-forward block (`BertIntermediate` dense + GELU, `BertOutput`
/// dense + residual + LayerNorm).
/// Mirrors https://github.com/huggingface/transformers/blob/v5.25.0/src/transformers/models/bert/modeling_bert.py#L327-L419
struct BertLayer {
    var attention: BertAttention
    var intermediateDense: Linear
    var outputDense: Linear
    var outputLayerNorm: LayerNorm

    /// Loads `encoder.layer.N.{attention,intermediate,output}.*`.
    init(_ loader: WeightLoader, config: BertConfig) throws {
        let hidden = config.hiddenSize
        attention = try BertAttention(loader.child("attention"), config: config)
        intermediateDense = try Linear(loader.child("intermediate").child("dense"), inputs: hidden, outputs: config.intermediateSize)
        outputDense = try Linear(loader.child("output").child("dense"), inputs: config.intermediateSize, outputs: hidden)
        outputLayerNorm = try LayerNorm(loader.child("output").child("LayerNorm"), size: hidden, epsilon: config.layerNormEpsilon)
    }

    /// Replaces `hidden` by the layer's output: one row per token, or with `firstTokensOnly` (the last layer, whose
    /// only consumer is the pooler) one row per sequence, its first token's, skipping the other rows' dense work.
    func forward(_ hidden: inout Matrix, _ pass: ForwardPass, firstTokensOnly: Bool = false) {
        let buffers = pass.buffers
        attention.forward(hidden, pass, firstTokensOnly: firstTokensOnly)
        intermediateDense.forward(buffers.attentionOutput, into: &buffers.intermediate, pass)
        buffers.intermediate.applyGELU()
        outputDense.forward(buffers.intermediate, residual: buffers.attentionOutput, into: &hidden, pass)
        outputLayerNorm.forward(&hidden)
    }

    /// Switches the layer's four dense products to `precision` (see `Linear.lower(to:)`).
    mutating func lower(to precision: NumericPrecision) {
        attention.selfAttention.queryKeyValue.lower(to: precision)
        attention.outputDense.lower(to: precision)
        intermediateDense.lower(to: precision)
        outputDense.lower(to: precision)
    }
}
