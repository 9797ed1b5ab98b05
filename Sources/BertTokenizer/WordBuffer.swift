/// One normalised word being built by the basic tokenizer, as UTF-8 bytes plus scalar boundaries.
///
/// It lives in stack memory owned by the caller for the whole scan, so building words allocates
/// nothing. Only the first `maxScalars` scalars are stored: a longer word becomes `[UNK]` anyway.
struct WordBuffer {
    /// HuggingFace's `max_input_chars_per_word`: longer words (in Unicode scalars) are `[UNK]`.
    static let maxScalars = 100
    /// Bytes needed to hold `maxScalars` scalars of UTF-8.
    static let byteCapacity = maxScalars * 4

    let bytes: UnsafeMutablePointer<UInt8>
    /// `ends[i]` is the byte offset just past scalar `i`.
    let ends: UnsafeMutablePointer<Int32>
    private(set) var byteCount = 0
    /// Number of scalars in the word, stored or not.
    private(set) var scalarCount = 0
    /// Index of the first scalar that NFD may still reorder (just after the last combining class 0).
    private var runStart = 0
    /// Whether a scalar with a non-zero combining class was added (only when lower-casing).
    private(set) var hasCombining = false

    init(bytes: UnsafeMutablePointer<UInt8>, ends: UnsafeMutablePointer<Int32>) {
        self.bytes = bytes
        self.ends = ends
    }

    var isEmpty: Bool { scalarCount == 0 }
    /// Longer than WordPiece accepts: the whole word is `[UNK]`.
    var isOverlong: Bool { scalarCount > Self.maxScalars }
    /// Number of scalars whose bytes are stored.
    var storedScalars: Int { min(scalarCount, Self.maxScalars) }

    mutating func reset() {
        byteCount = 0
        scalarCount = 0
        runStart = 0
        hasCombining = false
    }

    /// Appends an ASCII byte (combining class 0).
    @inline(__always)
    mutating func append(ascii byte: UInt8) {
        if scalarCount < Self.maxScalars {
            bytes[byteCount] = byte
            byteCount += 1
            ends[scalarCount] = Int32(byteCount)
        }
        scalarCount += 1
        runStart = scalarCount
    }

    /// Appends a scalar with combining class 0.
    mutating func append(_ scalar: UInt32) {
        store(scalar)
        runStart = scalarCount
    }

    /// Marks a point that NFD reordering does not cross (a dropped mark of combining class 0).
    mutating func endCombiningRun() {
        runStart = scalarCount
    }

    /// Appends a scalar with a non-zero combining class, moving it before earlier scalars of the
    /// current run that have a higher class (NFD's stable canonical ordering).
    mutating func append(combining scalar: UInt32, combiningClass: UInt8, table: ScalarTable) {
        store(scalar)
        hasCombining = true
        guard !isOverlong else { return }
        var position = scalarCount - 1
        while position > runStart, table.combiningClass(self.scalar(at: position - 1)) > combiningClass {
            position -= 1
        }
        guard position < scalarCount - 1 else { return }
        // Shift the bytes from `position` right by the new scalar's width, re-encode it there,
        // then rebuild the boundaries from `position` on.
        let insertAt = position == 0 ? 0 : Int(ends[position - 1])
        let width = byteCount - Int(ends[scalarCount - 2])
        for k in stride(from: byteCount - width - 1, through: insertAt, by: -1) {
            bytes[k + width] = bytes[k]
        }
        _ = UTF8Decoding.encode(scalar, into: bytes + insertAt)
        var offset = insertAt
        for i in position..<scalarCount {
            offset += UTF8Decoding.length(lead: bytes[offset])
            ends[i] = Int32(offset)
        }
    }

    /// The scalar stored at `index` (which must be stored).
    func scalar(at index: Int) -> UInt32 {
        let start = index == 0 ? 0 : Int(ends[index - 1])
        return UTF8Decoding.scalar(bytes, start, Int(ends[index]) - start)
    }

    private mutating func store(_ scalar: UInt32) {
        if scalarCount < Self.maxScalars {
            byteCount += UTF8Decoding.encode(scalar, into: bytes + byteCount)
            ends[scalarCount] = Int32(byteCount)
        }
        scalarCount += 1
    }
}
