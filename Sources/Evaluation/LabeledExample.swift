import Foundation

/// One row of an evaluation file: a text, its gold label, and the corpus it came from (if given).
public struct LabeledExample: Sendable, Equatable {
    public var text: String
    public var label: String
    public var source: String?

    public init(text: String, label: String, source: String? = nil) {
        self.text = text
        self.label = label
        self.source = source
    }
}

/// Why an evaluation file could not be read; names the file and line so the user can fix it.
public struct EvaluationFileError: Error, CustomStringConvertible {
    public var description: String
}

extension LabeledExample {
    /// Reads `text<TAB>label[<TAB>source]` rows. A first line whose label column is not a label is a header.
    /// Labels must be one of the head's two names; anything else is an error naming the line.
    public static func read(tsv url: URL, head: EvaluationHead) throws -> [LabeledExample] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw EvaluationFileError(description: "cannot read \(url.path): \(error.localizedDescription)")
        }
        guard let content = String(data: data, encoding: .utf8) else {
            throw EvaluationFileError(description: "\(url.path) is not valid UTF-8")
        }
        var examples: [LabeledExample] = []
        for (index, line) in content.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let row = line.hasSuffix("\r") ? line.dropLast() : line
            if row.isEmpty { continue }
            let fields = row.split(separator: "\t", omittingEmptySubsequences: false)
            let label = fields.count >= 2 ? String(fields[1]).lowercased() : ""
            guard fields.count >= 2, head.labels.contains(label) else {
                if index == 0 { continue }  // header
                throw EvaluationFileError(description:
                    "\(url.path):\(index + 1): expected text<TAB>label with label \(head.labels.joined(separator: " or "))")
            }
            examples.append(LabeledExample(
                text: String(fields[0]), label: label, source: fields.count >= 3 ? String(fields[2]) : nil))
        }
        return examples
    }
}
