import Foundation

/// Bounds-checked little-endian reads from a checkpoint file's bytes.
///
/// Why: offsets and lengths come from the file itself; every read goes through here so a truncated or corrupt
/// file becomes a `ModelLoadError` naming the file, never an out-of-bounds crash.
struct ByteView {
    /// The file's bytes, indexed from 0.
    let bytes: Data
    /// Path used in errors.
    let file: String

    var count: Int { bytes.count }

    /// Checks that `offset ..< offset + length` lies inside the file.
    func requireRange(_ offset: Int, _ length: Int, tensor: String? = nil, _ what: @autoclosure () -> String) throws {
        guard offset >= 0, length >= 0, offset <= count, length <= count - offset else {
            throw ModelLoadError.truncated(file: file, tensor: tensor,
                                           reason: "\(what()) needs bytes \(offset)..<\(offset &+ length), file has \(count)")
        }
    }

    /// An unsigned little-endian integer of `width` bytes at `offset`.
    func unsigned(at offset: Int, width: Int, _ what: @autoclosure () -> String) throws -> UInt64 {
        try requireRange(offset, width, what())
        return bytes.withUnsafeBytes { raw in
            var value: UInt64 = 0
            for index in (0..<width).reversed() { value = value << 8 | UInt64(raw[offset + index]) }
            return value
        }
    }

    func uint16(at offset: Int, _ what: @autoclosure () -> String) throws -> Int {
        Int(try unsigned(at: offset, width: 2, what()))
    }

    func uint32(at offset: Int, _ what: @autoclosure () -> String) throws -> Int {
        Int(try unsigned(at: offset, width: 4, what()))
    }

    /// A 64-bit length or offset; values beyond `Int.max` are reported as malformed.
    func uint64(at offset: Int, _ what: @autoclosure () -> String) throws -> Int {
        let value = try unsigned(at: offset, width: 8, what())
        guard let result = Int(exactly: value) else {
            throw ModelLoadError.malformed(file: file, tensor: nil, reason: "\(what()) is out of range (\(value))")
        }
        return result
    }

    /// The bytes `offset ..< offset + length`.
    func slice(_ offset: Int, _ length: Int, _ what: @autoclosure () -> String) throws -> Data {
        try requireRange(offset, length, what())
        return bytes.subdata(in: offset..<(offset + length))
    }
}
