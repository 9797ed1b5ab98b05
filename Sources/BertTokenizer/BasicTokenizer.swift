/// Receives what the basic tokenizer finds, in text order.
///
/// Each method returns false to stop the scan: encoding stops once `maxLength` is reached, which
/// bounds the work on a very long text.
protocol WordSink {
    /// A normalised word (a run of letters, one punctuation mark or one CJK ideograph).
    mutating func word(_ word: WordBuffer) -> Bool
    /// A special token such as `[MASK]` written literally in the raw text.
    mutating func special(_ token: SpecialToken) -> Bool
}

/// HuggingFace's BERT normaliser and pre-tokenizer in one allocation-free pass over UTF-8.
///
/// Mirrors tokenizers' `BertNormalizer` (clean text, pad CJK ideographs, then when lower-casing:
/// NFD, drop non-spacing marks, lower-case) and `BertPreTokenizer` (split on whitespace, isolate
/// punctuation), after splitting out special tokens written literally in the text, as the
/// tokenizer's added-token matching does. Per-scalar behaviour comes from `ScalarTable`; ASCII
/// takes a 128-entry lookup instead.
/// Mirrors https://github.com/huggingface/tokenizers/blob/v0.23.1/tokenizers/src/normalizers/bert.rs#L7-L137
/// and https://github.com/huggingface/tokenizers/blob/v0.23.1/tokenizers/src/pre_tokenizers/bert.rs#L5-L18
final class BasicTokenizer: Sendable {
    let lowercase: Bool
    let specialTokens: [SpecialToken]
    private let table = ScalarTable.shared
    /// For each ASCII byte: its base class (raw value of `ScalarProperties.BaseClass`).
    private let asciiClass: [UInt8]
    /// For each ASCII byte: the byte it becomes in a word.
    private let asciiOutput: [UInt8]

    init(lowercase: Bool, specialTokens: [SpecialToken]) {
        self.lowercase = lowercase
        self.specialTokens = specialTokens
        asciiClass = (0..<128).map { ScalarTable.shared.properties(UInt32($0)).baseClass.rawValue }
        asciiOutput = (0..<128).map { byte in
            lowercase && (65...90).contains(byte) ? UInt8(byte + 32) : UInt8(byte)
        }
    }

    /// Splits `text` into normalised words and special tokens, handing each to `sink`.
    func scan<Sink: WordSink>(_ text: String, into sink: inout Sink) {
        var text = text
        text.withUTF8 { utf8 in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: WordBuffer.byteCapacity) { bytes in
                withUnsafeTemporaryAllocation(of: Int32.self, capacity: WordBuffer.maxScalars) { ends in
                    var scanner = Scanner(
                        tokenizer: self, sink: sink,
                        word: WordBuffer(bytes: bytes.baseAddress!, ends: ends.baseAddress!))
                    scanner.run(utf8)
                    sink = scanner.sink
                }
            }
        }
    }

    /// The state of one scan: the word being built and whether the sink asked to stop.
    private struct Scanner<Sink: WordSink> {
        let tokenizer: BasicTokenizer
        var sink: Sink
        var word: WordBuffer
        var stopped = false

        mutating func run(_ utf8: UnsafeBufferPointer<UInt8>) {
            guard let base = utf8.baseAddress else { return }
            let asciiClass = tokenizer.asciiClass, asciiOutput = tokenizer.asciiOutput
            let hasSpecials = !tokenizer.specialTokens.isEmpty
            var i = 0
            while i < utf8.count && !stopped {
                let byte = base[i]
                if byte < 0x80 {
                    if byte == UInt8(ascii: "["), hasSpecials, let special = tokenizer.specialToken(in: utf8, at: i) {
                        flush()
                        if !stopped { stopped = !sink.special(special) }
                        i += special.bytes.count
                        continue
                    }
                    switch asciiClass[Int(byte)] {
                    case ScalarProperties.BaseClass.letter.rawValue: word.append(ascii: asciiOutput[Int(byte)])
                    case ScalarProperties.BaseClass.punctuation.rawValue: isolate(UInt32(byte))
                    case ScalarProperties.BaseClass.whitespace.rawValue: flush()
                    default: break  // control characters are dropped
                    }
                    i += 1
                } else {
                    let length = UTF8Decoding.length(lead: byte)
                    add(UTF8Decoding.scalar(base, i, length))
                    i += length
                }
            }
            flush()
        }

        /// Hands the current word to the sink and starts a new one.
        private mutating func flush() {
            guard !word.isEmpty else { return }
            if !stopped { stopped = !sink.word(word) }
            word.reset()
        }

        /// Normalises one non-ASCII scalar of the input.
        private mutating func add(_ scalar: UInt32) {
            let table = tokenizer.table
            let properties = table.properties(scalar)
            switch properties.baseClass {
            case .control:
                return
            case .whitespace:
                flush()
            case .ideograph:
                flush()
                if tokenizer.lowercase && properties.isMapped {
                    for index in table.mapping(scalar) { word.append(table.replacementScalar(index)) }
                } else {
                    word.append(scalar)
                }
                flush()
            case .letter, .punctuation:
                guard tokenizer.lowercase else {  // no NFD, so no stripping or reordering either
                    if properties.baseClass == .punctuation { isolate(scalar) } else { word.append(scalar) }
                    return
                }
                if properties.isStrippedMark {
                    if properties.endsCombiningRun { word.endCombiningRun() }
                } else if properties.isHangulSyllable {
                    let index = scalar - 0xAC00
                    word.append(0x1100 + index / 588)
                    word.append(0x1161 + index % 588 / 28)
                    if index % 28 != 0 { word.append(0x11A7 + index % 28) }
                } else if properties.isMapped {
                    for index in table.mapping(scalar) {
                        let output = table.replacementScalar(index)
                        emit(output, table.properties(output))
                    }
                } else {
                    emit(scalar, properties)
                }
            }
        }

        /// Makes `scalar` a word of its own.
        private mutating func isolate(_ scalar: UInt32) {
            flush()
            word.append(scalar)
            flush()
        }

        /// Adds one normalised scalar when lower-casing: punctuation is a word of its own,
        /// combining marks take their NFD place, anything else extends the word.
        private mutating func emit(_ scalar: UInt32, _ properties: ScalarProperties) {
            if properties.baseClass == .punctuation {
                isolate(scalar)
            } else if properties.isCombining {
                word.append(combining: scalar, combiningClass: tokenizer.table.combiningClass(scalar),
                            table: tokenizer.table)
            } else {
                word.append(scalar)
            }
        }
    }

    /// The special token spelled at `utf8[index...]`, if any.
    private func specialToken(in utf8: UnsafeBufferPointer<UInt8>, at index: Int) -> SpecialToken? {
        for token in specialTokens where token.bytes.count <= utf8.count - index {
            if token.bytes.indices.allSatisfy({ utf8[index + $0] == token.bytes[$0] }) { return token }
        }
        return nil
    }
}
