import Annotator
import Foundation

/// The one JSON writer of the command line: compact objects in `JSONStyle` (sorted keys, as `serve` writes them),
/// one per line, for scripts.
enum JSONOutput {
    /// `value` as one line of JSON (or indented with `pretty`), U+2028 and U+2029 escaped as `serve` writes them
    /// (`JSONStyle.encode`), so a record never spans two lines.
    static func line(_ value: some Encodable, pretty: Bool = false) throws -> String {
        String(decoding: try JSONStyle.encode(value, pretty: pretty), as: UTF8.self)
    }

    /// A flat object built field by field (`bench`, which also prints the same fields as a table).
    struct Fields: Encodable {
        /// One field's value.
        enum Value: Encodable {
            case string(String)
            case number(Double)
            case integer(Int)

            func encode(to encoder: any Encoder) throws {
                var container = encoder.singleValueContainer()
                switch self {
                case .string(let text): try container.encode(text)
                case .number(let number): number.isFinite ? try container.encode(number) : try container.encodeNil()
                case .integer(let number): try container.encode(number)
                }
            }

            /// The value as a person reads it in a table.
            var text: String {
                switch self {
                case .string(let text): text
                case .number(let number): "\(number)"
                case .integer(let number): "\(number)"
                }
            }
        }

        var fields: [(name: String, value: Value)]

        private struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            for (name, value) in fields { try container.encode(value, forKey: Key(stringValue: name)) }
        }
    }
}
