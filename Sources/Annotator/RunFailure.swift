import LabelStore

/// Why a labeling run failed, as one line for the terminal, including whether the failure could be recorded.
///
/// Why: the run's `label_runs` row is the lasting record. When the failure was a lock and the lock outlasts the
/// attempt to record it, the row stays `running`, and the person must learn that here, not from a second log line.
public struct RunFailure: Error, CustomStringConvertible {
    /// The run that failed.
    public var runID: Int64
    /// What ended it.
    public var error: Error
    /// Why `failed` could not be written into `label_runs`, if it could not.
    public var recordingError: Error?

    public var description: String {
        var line = "run \(runID) failed: \(error)"
        if let recordingError {
            line += "; recording the failure failed too: " + Self.staysRunning(runID: runID, because: recordingError)
        }
        return line
    }

    /// "<why the label_runs update failed>, so run N stays `running` until the next run marks it interrupted".
    static func staysRunning(runID: Int64, because error: any Error) -> String {
        ((error as? DatabaseError)?.message ?? "\(error)") + ", so run \(runID) stays `running` until the next run "
            + "marks it interrupted"
    }
}
