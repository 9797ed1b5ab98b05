/// A row-major matrix of `Float` in one contiguous buffer.
///
/// Why: every tensor the encoder touches (weights, activations, scratch) is a 2-D block that BLAS reads by
/// pointer, so one plain layout serves them all. Scratch matrices are reshaped in place with `resize`, which keeps
/// the allocation when it is large enough, so a forward pass reuses its buffers instead of allocating per batch.
public struct Matrix: Sendable, Equatable {
    /// Number of rows.
    public private(set) var rows: Int
    /// Number of columns (the row stride).
    public private(set) var columns: Int
    /// `rows * columns` values, row after row; may be longer while reshaped smaller (only the prefix is used).
    public private(set) var storage: [Float]

    /// A zero-filled matrix.
    public init(rows: Int, columns: Int) {
        self.rows = rows
        self.columns = columns
        storage = [Float](repeating: 0, count: rows * columns)
    }

    /// Wraps existing values (`values.count` must equal `rows * columns`).
    public init(rows: Int, columns: Int, values: [Float]) {
        precondition(values.count == rows * columns, "Matrix: \(values.count) values for \(rows)x\(columns)")
        self.rows = rows
        self.columns = columns
        storage = values
    }

    /// Number of used values.
    public var count: Int { rows * columns }

    /// Reshapes to `rows x columns`, growing the allocation only when needed. Contents are unspecified afterwards.
    public mutating func resize(rows: Int, columns: Int) {
        self.rows = rows
        self.columns = columns
        if storage.count < rows * columns {
            storage = [Float](repeating: 0, count: rows * columns)
        }
    }

    /// Element access for tests and set-up code; hot loops use the pointer accessors.
    public subscript(row: Int, column: Int) -> Float {
        get { storage[row * columns + column] }
        set { storage[row * columns + column] = newValue }
    }

    /// Reads the used values through a pointer.
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try storage.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[0..<count])) }
    }

    /// Writes the used values through a pointer.
    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        let used = count
        return try storage.withUnsafeMutableBufferPointer { try body(UnsafeMutableBufferPointer(rebasing: $0[0..<used])) }
    }

    /// Equal when shapes and used values are equal (spare capacity is ignored).
    public static func == (lhs: Matrix, rhs: Matrix) -> Bool {
        lhs.rows == rhs.rows && lhs.columns == rhs.columns && lhs.storage[0..<lhs.count] == rhs.storage[0..<rhs.count]
    }
}
