import Foundation

/// A thread-safe "please stop" flag: set by a signal handler (or a test), read between batches, so a run
/// always finishes the batch it is writing before it stops.
public final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var stopped = false

    public init() {}

    public func requestStop() {
        lock.withLock { stopped = true }
    }

    public var isStopRequested: Bool { lock.withLock { stopped } }

    /// Sleeps up to `duration`, waking early (within 50 ms) once a stop is requested.
    public func sleep(_ duration: Duration) {
        let deadline = ContinuousClock.now + duration
        while !isStopRequested && ContinuousClock.now < deadline {
            Thread.sleep(forTimeInterval: min(0.05, max(0, (deadline - ContinuousClock.now) / .seconds(1))))
        }
    }
}
