import TensorMath

/// HF `BertAttention`: self-attention, then `BertSelfOutput` (dense + residual + LayerNorm).
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

    /// Leaves LayerNorm(dense(attention(hidden)) + hidden) in `scratch.attentionOutput`; with `firstTokensOnly`,
    /// only for each sequence's first token (one row per sequence).
    func forward(_ hidden: Matrix, layout: BatchLayout, firstTokensOnly: Bool, scratch: inout LayerScratch, gemm: any GEMM) {
        selfAttention.forward(hidden, layout: layout, firstTokensOnly: firstTokensOnly, scratch: &scratch, gemm: gemm)
        if firstTokensOnly {
            hidden.gatherRows(layout.starts, into: &scratch.firstTokens)
            outputDense.forward(scratch.context, residual: scratch.firstTokens, into: &scratch.attentionOutput,
                                gemm: gemm, int8: &scratch.int8)
        } else {
            outputDense.forward(scratch.context, residual: hidden, into: &scratch.attentionOutput,
                                gemm: gemm, int8: &scratch.int8)
        }
        outputLayerNorm.forward(&scratch.attentionOutput)
    }
}

/// HF `BertLayer`: attention block, then the feed-forward block (`BertIntermediate` dense + GELU, `BertOutput`
/// dense + residual + LayerNorm).
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
    func forward(_ hidden: inout Matrix, layout: BatchLayout, firstTokensOnly: Bool = false,
                 scratch: inout LayerScratch, gemm: any GEMM) {
        attention.forward(hidden, layout: layout, firstTokensOnly: firstTokensOnly, scratch: &scratch, gemm: gemm)
        intermediateDense.forward(scratch.attentionOutput, into: &scratch.intermediate, gemm: gemm,
                                  int8: &scratch.int8)
        scratch.intermediate.applyGELU()
        outputDense.forward(scratch.intermediate, residual: scratch.attentionOutput, into: &hidden, gemm: gemm,
                            int8: &scratch.int8)
        outputLayerNorm.forward(&hidden)
    }

    /// Switches the layer's four dense products to int8 weights (see `Int8Linear`).
    mutating func quantize() {
        attention.selfAttention.queryKeyValue.quantize()
        attention.outputDense.quantize()
        intermediateDense.quantize()
        outputDense.quantize()
    }
}
