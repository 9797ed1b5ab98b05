/// A perturbed view of a labeled file (`querykind eval --perturb`): the same rows with their punctuation changed in
/// a way that must not change their label.
///
/// Why: a model can learn that a final "." or "?" decides the kind (v3 read "risotto recipe." as a sentence
/// because its keyword queries never ended in a mark). Scoring the views beside the raw text shows such a
/// shortcut, so the next model cannot bring it back silently. The same views are reported in the model card.
public struct PerturbedView: Sendable {
    /// The view's name, as `eval` prints it: `keyword + "."`, ..., `no final mark`.
    public let name: String
    private let transform: @Sendable (LabeledExample) -> String?

    /// The marks appended to every keyword query: the ones query logs show after a keyword query.
    public static let trailingMarks = [".", "!", "!!", "?", "..."]
    /// The characters taken as a sentence's final mark.
    static let finalMarks: Set<Character> = [".", "!", "?", "\u{2026}"]

    /// The views that apply to `head`'s files: for the keyword head each trailing mark appended to every
    /// keyword query, and for both heads every natural-language text that ends in a mark without it.
    public static func views(for head: EvaluationHead) -> [PerturbedView] {
        let trailing = head == .keyword ? trailingMarks.map { mark in
            PerturbedView(name: "keyword + \"\(mark)\"") { example in
                example.label == "keyword" ? trimmedEnd(example.text) + mark : nil
            }
        } : []
        return trailing + [PerturbedView(name: "no final mark") { example in
            example.label == "keyword" ? nil : withoutFinalMark(example.text)
        }]
    }

    /// The rows this view scores, with their perturbed text; rows the view does not apply to are left out.
    public func apply(to examples: [LabeledExample]) -> [LabeledExample] {
        examples.compactMap { example in
            transform(example).map { LabeledExample(text: $0, label: example.label, source: example.source) }
        }
    }

    /// `text` without its final run of marks and spaces ("Really?!" -> "Really"), or nil when it has no final mark.
    static func withoutFinalMark(_ text: String) -> String? {
        guard let last = trimmedEnd(text).last, finalMarks.contains(last) else { return nil }
        let stripped = String(text.reversed().drop(while: { finalMarks.contains($0) || $0.isWhitespace }).reversed())
        return stripped.isEmpty ? nil : stripped
    }

    private static func trimmedEnd(_ text: String) -> String {
        String(text.reversed().drop(while: \.isWhitespace).reversed())
    }
}
