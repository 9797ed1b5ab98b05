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
