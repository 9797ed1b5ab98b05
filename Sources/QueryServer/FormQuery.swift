/// A URL query string read as HTML forms and HTTP clients write it (`application/x-www-form-urlencoded`): `+` is a
/// space and `%XX` a byte, so `%2B` is a literal plus.
///
/// Why not Hummingbird's `queryParameters`: it leaves `+` as is (so `?text=where+is+berlin`, what Python's
/// `requests`, `urlencode` and `curl --data-urlencode` send for "where is berlin", was labeled with its pluses) and
/// repairs invalid UTF-8 instead of refusing it.
struct FormQuery {
    /// Why a value cannot be read; each a one-line answer for the client.
    enum Failure: Error, CustomStringConvertible {
        case malformedEscape(name: String)
        case invalidUTF8(name: String)

        var description: String {
            switch self {
            case .malformedEscape(let name): "\(name) has a % not followed by two hex digits; write % as %25"
            case .invalidUTF8(let name): "\(name) is not valid UTF-8"
            }
        }
    }

    private let query: Substring

    init(_ query: String) { self.query = query[...] }

    /// The decoded value of the first `name=value` pair with this name, nil when there is none.
    func value(_ name: String) throws(Failure) -> String? {
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            // A key that does not decode cannot be `name`.
            guard (try? Self.decode(parts[0], name: name)) == name else { continue }
            return try Self.decode(parts.count > 1 ? parts[1] : "", name: name)
        }
        return nil
    }

    private static func decode(_ encoded: Substring, name: String) throws(Failure) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(encoded.utf8.count)
        var iterator = encoded.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"):
                bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                    throw .malformedEscape(name: name)
                }
                bytes.append(high << 4 | low)
            default:
                bytes.append(byte)
            }
        }
        let text = String(decoding: bytes, as: UTF8.self)
        // Decoding replaces invalid sequences with U+FFFD; a text that does not round-trip was not UTF-8.
        guard text.utf8.elementsEqual(bytes) else { throw .invalidUTF8(name: name) }
        return text
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
