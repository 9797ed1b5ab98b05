import Foundation
import XCTest

/// A child's CPU time, from `/proc/<pid>/stat` (Linux): how a test tells a process that computes from one that
/// sleeps, e.g. in SQLite's busy handler.
struct ProcessCPU {
    let pid: Int32

    init(pid: Int32) throws {
        self.pid = pid
        guard FileManager.default.fileExists(atPath: "/proc/\(pid)/stat") else {
            throw XCTSkip("/proc/<pid>/stat is Linux only; this test needs it to see when the child waits")
        }
    }

    /// User plus system time so far, in clock ticks; nil once the process is gone.
    func ticks() -> Int? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        // After the command name: state (field 3), …, utime (14), stime (15).
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Int(fields[11]), let system = Int(fields[12]) else { return nil }
        return user + system
    }

    /// Waits until the CPU time has not moved for `quiet` seconds and returns when it last moved.
    func idleSince(quiet: TimeInterval, deadline: TimeInterval) throws -> Date {
        let giveUp = Date().addingTimeInterval(deadline)
        var last = ticks(), lastChange = Date()
        while Date() < giveUp {
            Thread.sleep(forTimeInterval: 0.02)
            guard let now = ticks() else { throw ProcessGone(pid: pid) }
            if now != last { (last, lastChange) = (now, Date()) }
            if Date().timeIntervalSince(lastChange) >= quiet { return lastChange }
        }
        throw CommandRunner.DeadlineExceeded(seconds: deadline, stderr: "process \(pid) never went idle")
    }

    struct ProcessGone: Error, CustomStringConvertible {
        var pid: Int32
        var description: String { "process \(pid) exited while the test waited for it to go idle" }
    }
}
