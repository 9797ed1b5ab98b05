/// What a new run is about to do, recorded in its `label_runs` row.
public struct RunInfo: Sendable {
    public var command: String
    public var model: String
    public var source: SourceTable
    public var relabel: Bool

    public init(command: String, model: String, source: SourceTable, relabel: Bool) {
        self.command = command
        self.model = model
        self.source = source
        self.relabel = relabel
    }
}

/// How a run ended (`label_runs.status`).
public enum RunStatus: String, Sendable, Codable {
    case running, finished, failed, interrupted
}
