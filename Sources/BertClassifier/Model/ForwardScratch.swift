import TensorMath

/// Where the sequences of one packed batch lie: sequence `i` occupies rows `starts[i] ..< starts[i] + lengths[i]`.
///
/// Why: the batch is packed (no padding rows). Dense layers see one `tokens x hidden` matrix; only attention needs
/// to know the sequence boundaries, and it never looks across them, so no attention mask is needed and a query's
/// result cannot depend on its batch companions.
struct BatchLayout {
    var starts: [Int] = []
    var lengths: [Int] = []
    var tokenCount = 0

    init(_ sequences: [[Int32]]) {
        starts.reserveCapacity(sequences.count)
        lengths.reserveCapacity(sequences.count)
        for sequence in sequences {
            starts.append(tokenCount)
            lengths.append(sequence.count)
            tokenCount += sequence.count
        }
    }

    var longest: Int { lengths.max() ?? 0 }
}

/// Activation buffers of one encoder layer, reused by every layer and every batch.
struct LayerScratch {
    var queryKeyValue = Matrix(rows: 0, columns: 0)
    var scores = Matrix(rows: 0, columns: 0)
    var context = Matrix(rows: 0, columns: 0)
    var firstTokens = Matrix(rows: 0, columns: 0)
    var attentionOutput = Matrix(rows: 0, columns: 0)
    var intermediate = Matrix(rows: 0, columns: 0)
    var int8 = Int8Scratch()
}

/// All buffers of a forward pass. Why: they only grow (to the largest batch seen), so steady-state prediction
/// allocates nothing per token.
struct ForwardScratch {
    var hidden = Matrix(rows: 0, columns: 0)
    var layer = LayerScratch()
    var pooled = Matrix(rows: 0, columns: 0)
    var keywordLogits = Matrix(rows: 0, columns: 0)
    var questionLogits = Matrix(rows: 0, columns: 0)
}
