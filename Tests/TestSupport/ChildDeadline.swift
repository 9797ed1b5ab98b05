import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension Process {
    /// Waits up to `seconds` for the process to exit (polling every 5 ms); past that kills it with SIGKILL, reaps it
    /// and returns false. The one deadline-bounded wait on a child of the test targets (`querykind`, `psql`), so a
    /// hung child fails its test instead of hanging the suite; the deadline is never a speed requirement.
    public func exits(within seconds: Double) -> Bool {
        let giveUp = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while isRunning && ContinuousClock.now < giveUp { Thread.sleep(forTimeInterval: 0.005) }
        let exited = !isRunning
        if !exited { kill(processIdentifier, SIGKILL) }
        waitUntilExit()
        return exited
    }
}
