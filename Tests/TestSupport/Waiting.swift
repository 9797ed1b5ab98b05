import Foundation

/// Polls `condition` every 20 ms until it holds; after `seconds` throws `WaitTimedOut` naming `what`, which fails the
/// test. The one wait-for-a-condition helper of every test target: the bound is a deadline for a stuck process or
/// thread, never a speed requirement.
public func waitUntil(within seconds: Double = 10, _ what: @autoclosure () -> String = "the condition",
                      _ condition: () throws -> Bool) throws {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while try !condition() {
        guard ContinuousClock.now < deadline else { throw WaitTimedOut(seconds: seconds, what: what()) }
        Thread.sleep(forTimeInterval: 0.02)
    }
}

/// `waitUntil(within:_:_:)` for a test that runs in a task: it sleeps the task (2 ms between polls), not the thread.
public func waitUntil(within seconds: Double = 10, _ what: @autoclosure () -> String = "the condition",
                      _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while try await !condition() {
        guard ContinuousClock.now < deadline else { throw WaitTimedOut(seconds: seconds, what: what()) }
        try await Task.sleep(for: .milliseconds(2))
    }
}

/// A condition that did not hold by its deadline.
public struct WaitTimedOut: Error, CustomStringConvertible {
    public var seconds: Double
    public var what: String
    public var description: String { "timed out after \(seconds) s waiting for \(what)" }
}
