import TensorMath

/// HF `BertEmbeddings`: word + position + token-type embeddings, then LayerNorm (dropout is a no-op at inference).
/// Mirrors https://github.com/huggingface/transformers/blob/v5.25.0/src/transformers/models/bert/modeling_bert.py#L54-L109
struct BertEmbeddings {
    var wordEmbeddings: Matrix
    var positionEmbeddings: Matrix
    var tokenTypeEmbeddings: Matrix
    var layerNorm: LayerNorm

    /// Loads `embeddings.{word,position,token_type}_embeddings.weight` and `embeddings.LayerNorm.*`.
    init(_ loader: WeightLoader, config: BertConfig) throws {
        let hidden = config.hiddenSize
        wordEmbeddings = try loader.child("word_embeddings").matrix("weight", rows: config.vocabularySize, columns: hidden)
        positionEmbeddings = try loader.child("position_embeddings").matrix("weight", rows: config.maxPositions, columns: hidden)
        tokenTypeEmbeddings = try loader.child("token_type_embeddings").matrix("weight", rows: config.tokenTypeCount, columns: hidden)
        layerNorm = try LayerNorm(loader.child("LayerNorm"), size: hidden, epsilon: config.layerNormEpsilon)
    }

    /// Writes one row per token of the packed batch into `hidden`. Every sequence must hold valid ids and be at
    /// most `maxPositions` long (the classifier guarantees both); all tokens have token type 0.
    func forward(_ sequences: [[Int32]], layout: BatchLayout, into hidden: inout Matrix) {
        let width = wordEmbeddings.columns
        hidden.resize(rows: layout.tokenCount, columns: width)
        hidden.withUnsafeMutableBufferPointer { out in
            wordEmbeddings.withUnsafeBufferPointer { words in
                positionEmbeddings.withUnsafeBufferPointer { positions in
                    tokenTypeEmbeddings.withUnsafeBufferPointer { types in
                        for (sequence, start) in zip(sequences, layout.starts) {
                            for (position, id) in sequence.enumerated() {
                                let row = (start + position) * width
                                let word = Int(id) * width
                                let place = position * width
                                for column in 0..<width {
                                    out[row + column] = words[word + column] + positions[place + column] + types[column]
                                }
                            }
                        }
                    }
                }
            }
        }
        layerNorm.forward(&hidden)
    }
}
