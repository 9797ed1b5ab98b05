import Annotator
import Foundation
import LabelStore

/// `querykind review --db F` with no other mode: a terminal session over the review queue, one key per answer
/// (k keyword, q question, s statement, space or n skip, u undo, x quit; end of input quits too). Each item shows
/// the text, how often it occurred, the model's label and the progress. Keys are read one at a time; on a terminal
/// the session turns line buffering and echo off while it runs.
struct ReviewSession {
    let desk: ReviewDesk
    let reviewer: String
    let items: [ReviewQueueItem]

    /// What an answer did, so `u` can take it back.
    private enum Step {
        case reviewed(index: Int, id: Int64)
        case skipped(index: Int)
    }

    /// Runs the session over `items`, reading keys with `nextKey` (nil at the end of input), and ends by saying
    /// how many it recorded and kept.
    func run(nextKey: () -> UInt8?) throws {
        guard !items.isEmpty else {
            say("nothing to review: the queue is empty")
            return
        }
        var steps: [Step] = []
        var index = 0
        while index < items.count {
            show(items[index], position: index, kept: steps.count { if case .reviewed = $0 { true } else { false } })
            guard let key = nextKey() else { break }
            switch Character(UnicodeScalar(key)) {
            case "k", "q", "s":
                let kind = ["k": "keyword", "q": "question", "s": "statement"][String(UnicodeScalar(key))]!
                let item = items[index]
                let review = try desk.store.recordReview(ReviewSubmission(
                    key: item.key, kind: kind, reviewer: reviewer, model: desk.classifier.modelID, shown: item.label))
                say("→ \(kind) (review \(review.id))")
                steps.append(.reviewed(index: index, id: review.id))
                index += 1
            case " ", "n":
                say("→ skipped")
                steps.append(.skipped(index: index))
                index += 1
            case "u":
                guard let last = steps.popLast() else {
                    say("nothing to undo")
                    continue
                }
                switch last {
                case .reviewed(let at, let id):
                    try desk.store.deleteReview(id: id)
                    say("→ undid review \(id)")
                    index = at
                case .skipped(let at):
                    say("→ back")
                    index = at
                }
            case "x", "\u{04}":
                index = items.count
            case "\n", "\r":
                continue
            default:
                say("keys: k keyword, q question, s statement, space skip, u undo, x quit")
            }
        }
        let kept = steps.count { if case .reviewed = $0 { true } else { false } }
        say("reviewed \(kept), skipped \(steps.count - kept)")
    }

    private func show(_ item: ReviewQueueItem, position: Int, kept: Int) {
        say("")
        say("[\(position + 1)/\(items.count), \(kept) reviewed] \(item.text ?? item.key)"
              + "  (\(item.occurrences) time\(item.occurrences == 1 ? "" : "s"))")
        say("  model: \(item.label.kind)  "
              + String(format: "p_keyword %.3f  p_question %.3f", item.label.pKeyword, item.label.pQuestion))
        say("  k keyword · q question · s statement · space skip · u undo · x quit > ", end: "")
    }

    /// Writes `text` to standard output at once (a prompt has no newline to flush it).
    private func say(_ text: String, end: String = "\n") {
        FileHandle.standardOutput.write(Data((text + end).utf8))
    }

    /// Reads standard input one byte at a time, with the terminal (if it is one) in non-canonical mode without echo
    /// for the duration of `body`.
    static func withKeys<T>(_ body: (() -> UInt8?) throws -> T) rethrows -> T {
        var saved = termios()
        let isTerminal = isatty(STDIN_FILENO) == 1 && tcgetattr(STDIN_FILENO, &saved) == 0
        if isTerminal {
            var raw = saved
            raw.c_lflag &= ~tcflag_t(ICANON | ECHO)
            tcsetattr(STDIN_FILENO, TCSANOW, &raw)
        }
        defer { if isTerminal { tcsetattr(STDIN_FILENO, TCSANOW, &saved) } }
        return try body {
            var byte: UInt8 = 0
            return read(STDIN_FILENO, &byte, 1) == 1 ? byte : nil
        }
    }
}
