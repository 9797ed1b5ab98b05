import Foundation
import TensorMath

/// HF `BertSelfAttention`: scaled dot-product attention over each sequence, one head at a time (its eager path,
/// `eager_attention_forward`).
/// Mirrors https://github.com/huggingface/transformers/blob/v5.25.0/src/transformers/models/bert/modeling_bert.py#L112-L205
///
/// The query, key and value projections are stacked into one `[3·hidden, hidden]` layer at load time, so one GEMM
/// produces all three; each head then reads its column slice in place through the GEMM's leading dimension.
struct BertSelfAttention {
    var queryKeyValue: Linear
    var headCount: Int
    var headSize: Int

    /// Loads `attention.self.{query,key,value}.{weight,bias}`.
    init(_ loader: WeightLoader, config: BertConfig) throws {
        let hidden = config.hiddenSize
        queryKeyValue = Linear(stacking: try ["query", "key", "value"].map {
            try Linear(loader.child($0), inputs: hidden, outputs: hidden)
        })
        headCount = config.headCount
        headSize = config.headSize
    }

    /// `pass.buffers.attentionContext` = softmax(Q·Kᵀ/√d)·V per sequence and head, heads side by side as in HF's
    /// output: one row per token, or with `firstTokensOnly` one row per sequence (its `[CLS]` query attending to all
    /// its tokens), which is all the last layer needs for the pooler.
    func forward(_ hidden: Matrix, _ pass: ForwardPass, firstTokensOnly: Bool) {
        let buffers = pass.buffers
        queryKeyValue.forward(hidden, into: &buffers.queryKeyValue, pass)
        attend(buffers.queryKeyValue, layout: pass.layout, firstTokensOnly: firstTokensOnly,
               scores: &buffers.scores, context: &buffers.attentionContext, gemm: pass.gemm)
    }

    private func attend(_ qkv: Matrix, layout: BatchLayout, firstTokensOnly: Bool,
                        scores: inout Matrix, context: inout Matrix, gemm: any GEMM) {
        let hidden = headCount * headSize
        let scale = 1 / Float(headSize).squareRoot()
        context.resize(rows: firstTokensOnly ? layout.starts.count : layout.tokenCount, columns: hidden)
        scores.resize(rows: layout.longest, columns: layout.longest)
        qkv.withUnsafeBufferPointer { qkv in
            scores.withUnsafeMutableBufferPointer { scores in
                context.withUnsafeMutableBufferPointer { context in
                    for (index, (start, length)) in zip(layout.starts, layout.lengths).enumerated() {
                        let queries = firstTokensOnly ? 1 : length
                        let outputRow = firstTokensOnly ? index : start
                        for head in 0..<headCount {
                            let query = qkv.baseAddress! + start * 3 * hidden + head * headSize
                            let key = query + hidden
                            let value = query + 2 * hidden
                            gemm.multiply(m: queries, n: length, k: headSize, alpha: scale,
                                          a: query, lda: 3 * hidden, transposeA: .none,
                                          b: key, ldb: 3 * hidden, transposeB: .transposed,
                                          beta: 0, c: scores.baseAddress!, ldc: length)
                            for row in 0..<queries {
                                softmax(UnsafeMutableBufferPointer(rebasing: scores[(row * length)..<((row + 1) * length)]))
                            }
                            gemm.multiply(m: queries, n: headSize, k: length, alpha: 1,
                                          a: scores.baseAddress!, lda: length, transposeA: .none,
                                          b: value, ldb: 3 * hidden, transposeB: .none,
                                          beta: 0, c: context.baseAddress! + outputRow * hidden + head * headSize, ldc: hidden)
                        }
                    }
                }
            }
        }
    }
}
