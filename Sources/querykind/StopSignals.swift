import Annotator
import Dispatch
import Foundation

/// Turns SIGINT and SIGTERM into a `StopFlag`, so labeling finishes the batch it is writing, records the
/// run, and exits 0 instead of dying mid-batch.
enum StopSignals {
    /// Installs the handlers (keep the returned sources alive for as long as they should work).
    static func install(_ stop: StopFlag) -> [DispatchSourceSignal] {
        [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { stop.requestStop() }
            source.resume()
            return source
        }
    }
}
