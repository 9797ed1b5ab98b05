/// What the BERT normaliser and pre-tokenizer do with one Unicode scalar (one byte of flags).
///
/// The layout is fixed by `scripts/make_tokenizer_unicode_tables.py`, which records it for every
/// code point from HuggingFace's own normaliser.
struct ScalarProperties: Equatable {
    let rawValue: UInt8

    /// What the scalar is for splitting, whether or not the tokenizer lower-cases.
    enum BaseClass: UInt8 {
        /// Part of a word.
        case letter = 0
        /// A word of its own (ASCII punctuation and Unicode P*).
        case punctuation = 1
        /// Dropped (NUL, U+FFFD, control and format characters, private use).
        case control = 2
        /// Ends a word.
        case whitespace = 3
        /// A CJK ideograph, made a word of its own before anything else happens.
        case ideograph = 4
    }

    var baseClass: BaseClass { BaseClass(rawValue: rawValue & 7) ?? .letter }
    /// Lower-casing or NFD replaces the scalar (see `ScalarTable.mapping`).
    var isMapped: Bool { rawValue & 8 != 0 }
    /// Accent stripping drops the scalar.
    var isStrippedMark: Bool { rawValue & 16 != 0 }
    /// NFD decomposes the scalar algorithmically into Hangul conjoining jamo.
    var isHangulSyllable: Bool { rawValue & 32 != 0 }
    /// Kept with a non-zero combining class, so NFD may reorder it against its neighbours.
    var isCombining: Bool { rawValue & 64 != 0 }
    /// A stripped mark whose combining class is zero: it ends a run that NFD would reorder.
    var endsCombiningRun: Bool { rawValue & 128 != 0 }
}

/// The decoded `UnicodeTables`, searched by binary search (only non-ASCII text gets here).
final class ScalarTable: Sendable {
    /// The process-wide copy; decoding the tables once takes well under a millisecond.
    static let shared = ScalarTable()

    /// `start << 8 | properties`, sorted by start.
    private let ranges: [UInt32]
    private let mappedScalars: [UInt32]
    /// For each mapped scalar, `offset << 8 | count` into `replacements`.
    private let mappedSpans: [UInt32]
    private let replacements: [UInt32]
    private let combiningScalars: [UInt32]
    private let combiningClassValues: [UInt8]

    private init() {
        var ranges: [UInt32] = []
        for (start, value) in Self.pairs(UnicodeTables.ranges) {
            ranges.append(start << 8 | (value.first ?? 0))
        }
        var mappedScalars: [UInt32] = [], mappedSpans: [UInt32] = [], replacements: [UInt32] = []
        for (scalar, outputs) in Self.pairs(UnicodeTables.mappings) {
            mappedScalars.append(scalar)
            mappedSpans.append(UInt32(replacements.count) << 8 | UInt32(outputs.count))
            replacements.append(contentsOf: outputs)
        }
        var combiningScalars: [UInt32] = [], combiningClassValues: [UInt8] = []
        for (scalar, value) in Self.pairs(UnicodeTables.combiningClasses) {
            combiningScalars.append(scalar)
            combiningClassValues.append(UInt8(truncatingIfNeeded: value.first ?? 0))
        }
        self.ranges = ranges
        self.mappedScalars = mappedScalars
        self.mappedSpans = mappedSpans
        self.replacements = replacements
        self.combiningScalars = combiningScalars
        self.combiningClassValues = combiningClassValues
    }

    /// Parses "key:v1,v2 key:v1 ..." with hexadecimal numbers (the generated table format).
    private static func pairs(_ text: String) -> [(UInt32, [UInt32])] {
        text.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { item in
            let parts = item.split(separator: ":")
            guard parts.count == 2, let key = UInt32(parts[0], radix: 16) else { return nil }
            return (key, parts[1].split(separator: ",").compactMap { UInt32($0, radix: 16) })
        }
    }

    /// The properties of `scalar`.
    func properties(_ scalar: UInt32) -> ScalarProperties {
        let key = scalar << 8 | 0xFF
        var low = 0, high = ranges.count
        while low < high {  // first range starting after `scalar`
            let mid = (low + high) >> 1
            if ranges[mid] <= key { low = mid + 1 } else { high = mid }
        }
        return ScalarProperties(rawValue: low == 0 ? 0 : UInt8(truncatingIfNeeded: ranges[low - 1]))
    }

    /// The replacement of a scalar flagged `isMapped`, as a range of `replacementScalars`.
    func mapping(_ scalar: UInt32) -> Range<Int> {
        guard let index = Self.search(mappedScalars, scalar) else { return 0..<0 }
        let span = Int(mappedSpans[index])
        return (span >> 8)..<((span >> 8) + (span & 0xFF))
    }

    /// The scalar at `index` of the flat replacement list.
    func replacementScalar(_ index: Int) -> UInt32 { replacements[index] }

    /// The canonical combining class of a scalar flagged `isCombining` (0 for any other).
    func combiningClass(_ scalar: UInt32) -> UInt8 {
        guard let index = Self.search(combiningScalars, scalar) else { return 0 }
        return combiningClassValues[index]
    }

    private static func search(_ sorted: [UInt32], _ value: UInt32) -> Int? {
        var low = 0, high = sorted.count
        while low < high {
            let mid = (low + high) >> 1
            if sorted[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low < sorted.count && sorted[low] == value ? low : nil
    }
}
