import Foundation

/// How querykind writes JSON, on the command line (`--json`) and over HTTP (`serve`): keys sorted, `/` left as is.
///
/// Why one place: a script that reads `classify --json` should read the HTTP API's bodies the same way, byte for
/// byte; two encoders set up apart drifted (the HTTP one wrote "a\/b" where the command line wrote "a/b").
public enum JSONStyle {
    /// A new encoder in this style; `pretty` also indents (for a person reading, as `report --json` does).
    public static func encoder(pretty: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        if pretty { encoder.outputFormatting.insert(.prettyPrinted) }
        return encoder
    }

    /// `value` in this style, with U+2028 and U+2029 escaped: legal raw in JSON strings but line breaks to many
    /// line-based readers (and to JavaScript before ES2019), so a record never spans two lines. They can occur only
    /// inside strings, where `\u2028` means the same character.
    public static func encode(_ value: some Encodable, pretty: Bool = false) throws -> Data {
        let data = try encoder(pretty: pretty).encode(value)
        // Both are E2 80 A8/A9 in UTF-8; most bodies have neither, so look before copying.
        guard data.range(of: Data([0xE2, 0x80])) != nil else { return data }
        var escaped = Data(capacity: data.count)
        var index = data.startIndex
        while index < data.endIndex {
            if data[index] == 0xE2, index + 2 < data.endIndex, data[index + 1] == 0x80,
               data[index + 2] == 0xA8 || data[index + 2] == 0xA9 {
                escaped.append(contentsOf: Array((data[index + 2] == 0xA8 ? "\\u2028" : "\\u2029").utf8))
                index += 3
            } else {
                escaped.append(data[index])
                index += 1
            }
        }
        return escaped
    }
}
