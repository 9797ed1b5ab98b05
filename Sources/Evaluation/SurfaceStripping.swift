/// The "normalized" evaluation view: how a text looks when typed into a search box without care.
/// Lower-cased, punctuation and symbols removed, whitespace collapsed, so the heads are scored
/// without the easy cues of capitals and a final "?". Matches `training/evaluate.py`.
public func strippedOfSurfaceCues(_ text: String) -> String {
    var words: [String] = []
    var word = ""
    for character in text.lowercased() {
        if character.isWhitespace {
            if !word.isEmpty { words.append(word); word = "" }
        } else if !(character.isPunctuation || character.isSymbol) {
            word.append(character)
        }
    }
    if !word.isEmpty { words.append(word) }
    return words.joined(separator: " ")
}
