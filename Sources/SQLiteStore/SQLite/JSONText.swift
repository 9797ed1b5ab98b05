/// JSON text for SQLite's `json_each`, which lets one statement take a whole batch of keys.
enum JSONText {
    /// `["a","b",…]`.
    static func array(_ strings: some Sequence<String>) -> String {
        var out = "["
        for (index, string) in strings.enumerated() {
            if index > 0 { out += "," }
            appendQuoted(string, to: &out)
        }
        return out + "]"
    }

    /// `{"key":count,…}`.
    static func object(_ counts: [String: Int]) -> String {
        var out = "{"
        for (index, (key, count)) in counts.enumerated() {
            if index > 0 { out += "," }
            appendQuoted(key, to: &out)
            out += ":\(count)"
        }
        return out + "}"
    }

    /// Appends `string` as a JSON string (RFC 8259 escaping: quote, backslash, control characters).
    private static func appendQuoted(_ string: String, to out: inout String) {
        out += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
