import Foundation
import LabelStore

/// The files `review --import` reads and `review --export` writes.
enum ReviewFiles {
    /// One line of an import file: its number (from 1) and its two fields.
    struct Line {
        var number: Int
        var text: String
        var kind: String
    }

    /// The `text<TAB>kind` lines of `path` (`training/sample_kinds.tsv`'s format), without a `text<TAB>kind`
    /// header and blank lines; a line without exactly two fields is an error naming it.
    static func read(_ path: String) throws -> [Line] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandFailure("cannot read \(path)")
        }
        guard let content = String(data: data, encoding: .utf8) else {
            throw CommandFailure("\(path) is not UTF-8 text")
        }
        var lines: [Line] = []
        for (index, line) in content.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = line.hasSuffix("\r") ? line.dropLast() : line
            if line.isEmpty || (index == 0 && line == "text\tkind") { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 2 else {
                throw CommandFailure("\(path) line \(index + 1): expected text<TAB>kind, found \(fields.count) "
                                     + "field\(fields.count == 1 ? "" : "s"); nothing was recorded")
            }
            lines.append(Line(number: index + 1, text: String(fields[0]), kind: String(fields[1])))
        }
        return lines
    }

    /// Writes `reviews` as training rows in `folder`, in `training/train.py`'s format (`text<TAB>label<TAB>source`
    /// with a header): every review in `train_keyword.tsv` (keyword, or natural for a question or statement), the
    /// questions and statements in `train_question.tsv`. The text is the review's key, which the tokenizer reads
    /// as the same token ids as every text with that key. Returns the rows written to each.
    static func export(_ reviews: [Review], to folder: String) throws -> (keyword: Int, question: Int) {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var keyword = "text\tlabel\tsource\n", question = "text\tlabel\tsource\n"
        var counts = (keyword: 0, question: 0)
        for review in reviews {
            keyword += "\(review.key)\t\(review.kind == "keyword" ? "keyword" : "natural")\treview\n"
            counts.keyword += 1
            guard review.kind != "keyword" else { continue }
            question += "\(review.key)\t\(review.kind)\treview\n"
            counts.question += 1
        }
        try Data(keyword.utf8).write(to: URL(fileURLWithPath: folder + "/train_keyword.tsv"))
        try Data(question.utf8).write(to: URL(fileURLWithPath: folder + "/train_question.tsv"))
        return counts
    }
}
