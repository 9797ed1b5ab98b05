/// The "normalized" evaluation view: how a text looks when typed into a search box without care.
/// Lower-cased, every Unicode punctuation character (categories P*) replaced by a space, whitespace
/// collapsed, so the heads are scored without the easy cues of capitals and a final "?".
/// Must stay identical to `normalize` in `training/textnorm.py`, which scores the same view in Python.
public func strippedOfSurfaceCues(_ text: String) -> String {
    var words: [String] = []
    var word = String.UnicodeScalarView()
    for scalar in text.lowercased().unicodeScalars {
        if scalar.properties.isWhitespace || isPunctuation(scalar) {
            if !word.isEmpty { words.append(String(word)); word.removeAll() }
        } else {
            word.append(scalar)
        }
    }
    if !word.isEmpty { words.append(String(word)) }
    return words.joined(separator: " ")
}

private func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.properties.generalCategory {
    case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
         .initialPunctuation, .finalPunctuation, .otherPunctuation:
        return true
    default:
        return false
    }
}
