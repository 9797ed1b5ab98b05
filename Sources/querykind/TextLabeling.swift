import Annotator

/// Labels the texts given as arguments, or standard input's lines group by group, and prints the records.
///
/// Why one routine: `classify` and `lookup` differ only in whether a cache is consulted, and both must answer
/// every input line with exactly one output line, with the same error a database row would get.
enum TextLabeling {
    static func run(arguments: [String], lookup: Lookup, readAhead: Int, printer: inout RecordPrinter) throws {
        if !arguments.isEmpty {
            try printer.print(lookup(arguments))
            return
        }
        var input = StandardInputLines()
        while let lines = input.next(limit: readAhead) {
            try printer.print(lookup.label(lines.map { bytes in
                String(validating: bytes, as: UTF8.self).map { .text($0) } ?? .invalidUTF8(bytes)
            }))
        }
    }
}
