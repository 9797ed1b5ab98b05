import Foundation

/// One flat JSON object with keys in a fixed order: `bench` prints the same fields as JSON and as an aligned
/// table, in the order `bench/reference.py` uses. (JSONEncoder, used elsewhere, sorts keys.)
enum JSONLine {
    enum Value {
        case string(String)
        case number(Double)
        case integer(Int)
    }

    static func object(_ fields: [(String, Value)]) -> String {
        "{" + fields.map { quote($0.0) + ":" + render($0.1) }.joined(separator: ",") + "}"
    }

    static func render(_ value: Value) -> String {
        switch value {
        case .string(let text): return quote(text)
        case .number(let number): return number.isFinite ? "\(number)" : "null"
        case .integer(let number): return "\(number)"
        }
    }

    /// JSON string escaping (RFC 8259): quotes, backslash and control characters.
    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
