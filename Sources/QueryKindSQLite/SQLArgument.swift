import CQueryKindSQLite
import LabelStore

/// A function argument as the source value a table's row would give: the one triage (`RowText`) then decides.
enum SQLArgument {
    static func value(_ argument: OpaquePointer?) -> SourceValue {
        switch querykind_value_type(argument) {
        case QUERYKIND_SQL_NULL: return .null
        case QUERYKIND_SQL_BLOB: return .blob(byteCount: Int(querykind_value_bytes(argument)))
        case QUERYKIND_SQL_INTEGER, QUERYKIND_SQL_FLOAT:
            // Read as text: SQLite's decimal form, what `CAST(x AS TEXT)` and a source table's number give.
            return .number(String(decoding: bytes(argument), as: UTF8.self))
        default:
            return text(bytes(argument))
        }
    }

    /// UTF-8 bytes as text, or kept as bytes when they are not valid UTF-8.
    static func text(_ bytes: UnsafeBufferPointer<UInt8>) -> SourceValue {
        String(validating: bytes, as: UTF8.self).map { .text($0) } ?? .invalidUTF8(Array(bytes))
    }

    /// The argument's text bytes (valid until SQLite converts the value again).
    private static func bytes(_ argument: OpaquePointer?) -> UnsafeBufferPointer<UInt8> {
        guard let start = querykind_value_text(argument) else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: start, count: Int(querykind_value_bytes(argument)))
    }
}

/// A function call's result.
enum SQLResult {
    static func text(_ context: OpaquePointer?, _ text: String) {
        text.withCString { querykind_result_text(context, $0, Int32(text.utf8.count)) }
    }

    static func error(_ context: OpaquePointer?, _ error: any Error) {
        querykind_result_error(context, "\(error)")
    }
}
