extension Vocabulary {
    /// Appends the WordPiece ids of `word`: greedy longest match from the left, continuations
    /// looked up with their `##` prefix, and a single `[UNK]` for the whole word when any part
    /// has no match or the word is longer than `WordBuffer.maxScalars` scalars (as HuggingFace).
    /// Mirrors https://github.com/huggingface/tokenizers/blob/v0.23.1/tokenizers/src/models/wordpiece/mod.rs#L224-L284
    func appendWordPieces(of word: WordBuffer, to ids: inout [Int32]) {
        guard !word.isOverlong else {
            ids.append(unknownID)
            return
        }
        let firstPiece = ids.count
        let count = word.scalarCount
        var start = 0
        while start < count {
            let startByte = start == 0 ? 0 : Int(word.ends[start - 1])
            var end = count
            var match: Int32?
            while end > start {
                let length = Int(word.ends[end - 1]) - startByte
                match = start == 0 ? wordStarts.id(word.bytes + startByte, length)
                    : continuations.id(word.bytes + startByte, length)
                if match != nil { break }
                end -= 1
            }
            guard let id = match else {
                ids.removeSubrange(firstPiece...)
                ids.append(unknownID)
                return
            }
            ids.append(id)
            start = end
        }
    }
}
