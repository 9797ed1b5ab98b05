import TensorMath

/// The reference multi-task model: `bert` (embeddings, encoder, pooler) plus `classifier1` (keyword head) and
/// `classifier2` (question head), both applied to the pooled `[CLS]` vector of one encoder pass.
struct MultiTaskBert {
    let config: BertConfig
    var embeddings: BertEmbeddings
    var layers: [BertLayer]
    /// HF `BertPooler`: dense + tanh on the first token.
    /// Mirrors https://github.com/huggingface/transformers/blob/v5.25.0/src/transformers/models/bert/modeling_bert.py#L455-L467
    var pooler: Linear
    /// `classifier1`: label 0 = keyword, 1 = natural language.
    var keywordHead: Linear
    /// `classifier2`: label 0 = statement, 1 = question.
    var questionHead: Linear

    /// Loads every tensor, checking shapes against `config`. Encoder keys are read under `bert.` as the reference
    /// checkpoint has them, or at the top level when an export dropped that prefix.
    init(config: BertConfig, checkpoint: Checkpoint) throws {
        self.config = config
        let root = WeightLoader(checkpoint)
        let hasPrefix = root.child("bert").child("embeddings").child("word_embeddings").contains("weight")
        let hasBare = root.child("embeddings").child("word_embeddings").contains("weight")
        let bert = hasBare && !hasPrefix ? root : root.child("bert")
        let hidden = config.hiddenSize
        guard config.layerCount > 0 else {
            throw ModelLoadError.invalidConfig(file: checkpoint.file, reason: "the encoder needs at least one layer")
        }
        embeddings = try BertEmbeddings(bert.child("embeddings"), config: config)
        let encoder = bert.child("encoder").child("layer")
        layers = try (0..<config.layerCount).map { try BertLayer(encoder.child(String($0)), config: config) }
        pooler = try Linear(bert.child("pooler").child("dense"), inputs: hidden, outputs: hidden)
        keywordHead = try Linear(root.child("classifier1"), inputs: hidden, outputs: 2)
        questionHead = try Linear(root.child("classifier2"), inputs: hidden, outputs: 2)
    }

    /// Runs the encoder layers' dense products in `precision` from now on; the embeddings, attention scores,
    /// pooler and heads stay fp32. Why only there: they hold ~all of the multiply-adds, while the small pooler and
    /// heads decide the probabilities directly.
    mutating func lowerEncoder(to precision: NumericPrecision) {
        for index in layers.indices { layers[index].lower(to: precision) }
    }

    /// Runs one packed batch on `buffers`; each sequence must be non-empty, at most `maxPositions` long, with ids
    /// below `vocabularySize`.
    func forward(_ sequences: [[Int32]], buffers: ForwardBuffers, gemm: any GEMM) -> [QueryPrediction] {
        let pass = ForwardPass(gemm: gemm, layout: BatchLayout(sequences), buffers: buffers)
        embeddings.forward(sequences, layout: pass.layout, into: &buffers.hidden)
        for (index, layer) in layers.enumerated() {
            layer.forward(&buffers.hidden, pass, firstTokensOnly: index == layers.count - 1)
        }
        // `hidden` now holds one row per sequence, its [CLS] token: the pooler's input.
        pooler.forward(buffers.hidden, into: &buffers.pooled, pass)
        buffers.pooled.applyTanh()
        keywordHead.forward(buffers.pooled, into: &buffers.keywordLogits, pass)
        questionHead.forward(buffers.pooled, into: &buffers.questionLogits, pass)
        buffers.keywordLogits.softmaxRows()
        buffers.questionLogits.softmaxRows()
        return (0..<sequences.count).map {
            QueryPrediction(pKeyword: buffers.keywordLogits[$0, 0], pQuestion: buffers.questionLogits[$0, 1])
        }
    }
}
