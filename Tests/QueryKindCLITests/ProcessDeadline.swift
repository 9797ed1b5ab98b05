import Foundation
import QueryKindTestSupport
import XCTest

/// Waiting for a `querykind` child with a deadline: a hung child is killed and the test fails with its stderr,
/// so no test can wait forever.
extension CommandRunner {
    /// Waits up to `seconds` for `process`, then returns its output; on timeout kills it and throws.
    static func finish(_ process: Process, stdout: URL, stderr: URL, within seconds: Double = deadline) throws -> Output {
        let exited = process.exits(within: seconds)
        let errors = (try? String(contentsOf: stderr, encoding: .utf8)) ?? ""
        guard exited else { throw DeadlineExceeded(seconds: seconds, stderr: errors) }
        return Output(status: process.terminationStatus, stdout: try String(contentsOf: stdout, encoding: .utf8),
                      stderr: errors)
    }

    /// A child that did not exit in time, with what it had written to stderr.
    struct DeadlineExceeded: Error, CustomStringConvertible {
        var seconds: Double
        var stderr: String
        var description: String { "querykind did not exit within \(seconds) s; stderr: \(stderr)" }
    }
}
