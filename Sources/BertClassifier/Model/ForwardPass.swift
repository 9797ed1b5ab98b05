import TensorMath

/// What every module's `forward` needs besides its input: the matrix-multiply backend, the batch's layout and
/// the activation buffers. Why one value: the forwards stay as short as the modules they mirror
/// (`forward(hidden, pass)`), and a new per-pass need is added here rather than to every signature.
struct ForwardPass {
    let gemm: any GEMM
    let layout: BatchLayout
    let buffers: ForwardBuffers
}

/// All activation buffers of a forward pass, reused by every layer and every batch. Why a class: modules write
/// into different buffers while reading others, and the buffers only grow (to the largest batch seen), so
/// steady-state prediction allocates nothing per token. One instance serves one pass at a time.
final class ForwardBuffers {
    var hidden = Matrix(rows: 0, columns: 0)
    var queryKeyValue = Matrix(rows: 0, columns: 0)
    var scores = Matrix(rows: 0, columns: 0)
    var attentionContext = Matrix(rows: 0, columns: 0)
    var firstTokens = Matrix(rows: 0, columns: 0)
    var attentionOutput = Matrix(rows: 0, columns: 0)
    var intermediate = Matrix(rows: 0, columns: 0)
    var int8 = Int8Scratch()
    var bf16: [UInt16] = []
    var pooled = Matrix(rows: 0, columns: 0)
    var keywordLogits = Matrix(rows: 0, columns: 0)
    var questionLogits = Matrix(rows: 0, columns: 0)
}
