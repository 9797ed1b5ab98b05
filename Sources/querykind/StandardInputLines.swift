#if canImport(Glibc)
import Glibc
#endif

/// Standard input as lines of raw bytes, handed out in groups of what has already arrived.
///
/// Why raw bytes: a line that is not valid UTF-8 must be reported as such (as `label` reports such a row), not
/// silently repaired. Why groups: a pipe should see answers as soon as its lines arrive, while a file or a fast
/// producer should fill whole model batches; so a group holds every complete line already readable, up to a
/// limit, and waits only when nothing is.
struct StandardInputLines {
    private var buffer: [UInt8] = []
    private var consumed = 0
    private var atEnd = false

    /// The next group of 1 to `limit` lines (without their `\n` or `\r\n`), or nil once input has ended. Blocks
    /// only until the first line is complete.
    mutating func next(limit: Int) -> [[UInt8]]? {
        var lines: [[UInt8]] = []
        while lines.count < limit {
            if let line = takeLine() {
                lines.append(line)
            } else if atEnd {
                if consumed < buffer.count { lines.append(Array(buffer[consumed...])) }
                consumed = buffer.count
                break
            } else if lines.isEmpty || inputIsWaiting() {
                fill()
            } else {
                break
            }
        }
        return lines.isEmpty ? nil : lines
    }

    private mutating func takeLine() -> [UInt8]? {
        guard let newline = buffer[consumed...].firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        var end = newline
        if end > consumed && buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        let line = Array(buffer[consumed..<end])
        consumed = newline + 1
        return line
    }

    /// Reads what the next `read` gives, dropping the consumed prefix first.
    private mutating func fill() {
        buffer.removeFirst(consumed)
        consumed = 0
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let count = chunk.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
        if count <= 0 && !(count < 0 && errno == EINTR) {
            atEnd = true
        } else if count > 0 {
            buffer.append(contentsOf: chunk[0..<count])
        }
    }

    /// True when a `read` would return at once (data or end of input).
    private func inputIsWaiting() -> Bool {
        var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 0) > 0
    }
}
