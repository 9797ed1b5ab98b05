import Foundation

/// Runs `body`, and again every `pause` while it fails with a transient `DatabaseError` (a lock, a full disk, a lost
/// connection), until `window` has passed; then the failure is thrown. The one retry loop of both engines, for writes
/// that must land because nothing else records them (a run's final status).
public func retryingTransient<T>(for window: Duration, pause: Duration = .milliseconds(50),
                                 _ body: () throws -> T) throws -> T {
    let deadline = ContinuousClock.now + window
    while true {
        do {
            return try body()
        } catch let failure as DatabaseError where failure.isTransient && ContinuousClock.now < deadline {
            Thread.sleep(forTimeInterval: Double(pause / .milliseconds(1)) / 1000)
        }
    }
}
