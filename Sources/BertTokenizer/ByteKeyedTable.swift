/// A read-only hash map from UTF-8 byte strings to token ids.
///
/// WordPiece tries many candidate substrings of each word; looking them up as raw byte slices means
/// no `String` is built per candidate. Open addressing over one flat key buffer keeps it compact.
struct ByteKeyedTable: Sendable {
    private struct Slot {
        var hash: UInt32 = 0
        var length: UInt32 = 0
        var offset: UInt32 = 0
        var id: Int32 = -1  // -1: empty
    }

    private var slots: [Slot]
    private var keyBytes: [UInt8] = []
    private let mask: Int
    /// The longest key in bytes: no longer candidate can match.
    private(set) var longestKey = 0

    /// Builds the table; a key given twice keeps its last id (as HuggingFace's vocab loading does).
    init(_ entries: [(key: Substring.UTF8View, id: Int32)]) {
        var capacity = 16
        while capacity < entries.count * 2 { capacity <<= 1 }
        slots = Array(repeating: Slot(), count: capacity)
        mask = capacity - 1
        for entry in entries {
            let key = Array(entry.key)
            let hash = key.withUnsafeBufferPointer { Self.hash($0.baseAddress, $0.count) }
            var index = Int(hash) & mask
            while slots[index].id >= 0 {
                if slots[index].hash == hash, keyEquals(slots[index], key) { break }
                index = (index + 1) & mask
            }
            if slots[index].id < 0 {
                slots[index] = Slot(hash: hash, length: UInt32(key.count), offset: UInt32(keyBytes.count), id: entry.id)
                keyBytes.append(contentsOf: key)
                longestKey = max(longestKey, key.count)
            } else {
                slots[index].id = entry.id
            }
        }
    }

    private func keyEquals(_ slot: Slot, _ key: [UInt8]) -> Bool {
        Int(slot.length) == key.count && keyBytes[Int(slot.offset)..<Int(slot.offset) + key.count].elementsEqual(key)
    }

    /// FNV-1a, folded to 32 bits: simple and fast for the short keys of a WordPiece vocabulary.
    @inline(__always)
    private static func hash(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> UInt32 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for i in 0..<count { h = (h ^ UInt64(bytes![i])) &* 0x100_0000_01b3 }
        return UInt32(truncatingIfNeeded: h ^ (h >> 32))
    }

    @inline(__always)
    private static func equal(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        for i in 0..<count where a[i] != b[i] { return false }
        return true
    }

    /// The id of the token spelled by `count` bytes at `bytes`, or nil.
    @inline(__always)
    func id(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> Int32? {
        guard count <= longestKey else { return nil }
        let hash = Self.hash(bytes, count)
        return slots.withUnsafeBufferPointer { slots in
            keyBytes.withUnsafeBufferPointer { keys in
                var index = Int(hash) & mask
                while true {
                    let slot = slots[index]
                    if slot.id < 0 { return nil }
                    if slot.hash == hash, Int(slot.length) == count,
                       Self.equal(keys.baseAddress! + Int(slot.offset), bytes, count) {
                        return slot.id
                    }
                    index = (index + 1) & mask
                }
            }
        }
    }
}
