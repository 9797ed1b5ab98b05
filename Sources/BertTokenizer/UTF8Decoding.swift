/// Minimal UTF-8 decoding and encoding over raw bytes, for the tokenizer's allocation-free scan.
///
/// Input comes from Swift strings, so it is always valid UTF-8 and needs no error handling.
enum UTF8Decoding {
    /// Decodes the scalar whose `length` bytes start at `bytes[start]`.
    @inline(__always)
    static func scalar(_ bytes: UnsafePointer<UInt8>, _ start: Int, _ length: Int) -> UInt32 {
        let lead = UInt32(bytes[start])
        switch length {
        case 1: return lead
        case 2: return (lead & 0x1F) << 6 | UInt32(bytes[start + 1] & 0x3F)
        case 3:
            return (lead & 0x0F) << 12 | UInt32(bytes[start + 1] & 0x3F) << 6 | UInt32(bytes[start + 2] & 0x3F)
        default:
            return (lead & 0x07) << 18 | UInt32(bytes[start + 1] & 0x3F) << 12
                | UInt32(bytes[start + 2] & 0x3F) << 6 | UInt32(bytes[start + 3] & 0x3F)
        }
    }

    /// The length of the sequence that starts with `lead`.
    @inline(__always)
    static func length(lead: UInt8) -> Int {
        lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
    }

    /// Writes `scalar` as UTF-8 at `out`; returns the number of bytes written.
    @inline(__always)
    static func encode(_ scalar: UInt32, into out: UnsafeMutablePointer<UInt8>) -> Int {
        switch scalar {
        case ..<0x80:
            out[0] = UInt8(scalar)
            return 1
        case ..<0x800:
            out[0] = UInt8(0xC0 | scalar >> 6)
            out[1] = UInt8(0x80 | scalar & 0x3F)
            return 2
        case ..<0x10000:
            out[0] = UInt8(0xE0 | scalar >> 12)
            out[1] = UInt8(0x80 | scalar >> 6 & 0x3F)
            out[2] = UInt8(0x80 | scalar & 0x3F)
            return 3
        default:
            out[0] = UInt8(0xF0 | scalar >> 18)
            out[1] = UInt8(0x80 | scalar >> 12 & 0x3F)
            out[2] = UInt8(0x80 | scalar >> 6 & 0x3F)
            out[3] = UInt8(0x80 | scalar & 0x3F)
            return 4
        }
    }
}
