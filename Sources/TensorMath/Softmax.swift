import Foundation

/// Numerically stable softmax along each row.
///
/// Why: attention weights and the two classification heads are row softmaxes; subtracting the row maximum keeps
/// `exp` finite for any logits.
extension Matrix {
    /// Replaces each row by `exp(x - max) / Σ exp(x - max)`.
    public mutating func softmaxRows() {
        let width = columns
        let height = rows
        guard width > 0 else { return }
        withUnsafeMutableBufferPointer { values in
            for row in 0..<height {
                softmax(UnsafeMutableBufferPointer(rebasing: values[(row * width)..<((row + 1) * width)]))
            }
        }
    }
}

/// Softmax of one contiguous row in place; shared by `Matrix.softmaxRows` and callers that work on sub-blocks.
@inlinable
public func softmax(_ row: UnsafeMutableBufferPointer<Float>) {
    guard var maximum = row.first else { return }
    for value in row where value > maximum { maximum = value }
    var sum: Float = 0
    for index in row.indices {
        let e = expf(row[index] - maximum)
        row[index] = e
        sum += e
    }
    let scale = 1 / sum
    for index in row.indices { row[index] *= scale }
}
