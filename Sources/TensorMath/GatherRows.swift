/// Copying selected rows into a compact matrix.
///
/// Why: the pooler and the last encoder layer only need each sequence's first token; gathering those rows lets
/// the following matrix products skip all the others.
extension Matrix {
    /// Resizes `target` to `rows.count x columns` and copies row `rows[i]` of `self` into its row `i`.
    public func gatherRows(_ rows: [Int], into target: inout Matrix) {
        let width = columns
        target.resize(rows: rows.count, columns: width)
        withUnsafeBufferPointer { source in
            target.withUnsafeMutableBufferPointer { target in
                for (index, row) in rows.enumerated() {
                    precondition(row >= 0 && row < self.rows, "gatherRows: row \(row) of \(self.rows)")
                    for column in 0..<width { target[index * width + column] = source[row * width + column] }
                }
            }
        }
    }
}
