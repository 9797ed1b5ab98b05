import Foundation

/// One-line JSON with keys in a fixed order, for `--json` output that scripts parse and people can diff.
/// (Foundation's JSONEncoder on Linux does not keep the declared key order.)
enum JSONLine {
    indirect enum Value {
        case string(String)
        case number(Double)
        case integer(Int)
        case bool(Bool)
        case null
        case array([Value])
        case object([(String, Value)])
    }

    static func object(_ fields: [(String, Value)]) -> String { render(.object(fields)) }

    static func render(_ value: Value) -> String {
        switch value {
        case .string(let text): return quote(text)
        case .number(let number): return number.isFinite ? "\(number)" : "null"
        case .integer(let number): return "\(number)"
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return "null"
        case .array(let items): return "[" + items.map(render).joined(separator: ",") + "]"
        case .object(let fields):
            return "{" + fields.map { quote($0.0) + ":" + render($0.1) }.joined(separator: ",") + "}"
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
