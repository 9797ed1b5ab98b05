/// A `running` run whose process is alive (or on another host, so cannot be checked): the labeler that holds a
/// table, named in the refusal a second labeler gets.
public struct LiveRun: Sendable, Equatable, CustomStringConvertible {
    /// Its `label_runs` id.
    public var id: Int64
    /// `label` or `watch`.
    public var command: String
    public var host: String
    public var pid: Int64
    /// As recorded, UTC ISO-8601.
    public var startedAt: String

    public init(id: Int64, command: String, host: String, pid: Int64, startedAt: String) {
        (self.id, self.command, self.host, self.pid, self.startedAt) = (id, command, host, pid, startedAt)
    }

    /// `run 3 (watch, pid 4242 on host db1, started 2026-11-30T09:00:00.000Z)`.
    public var description: String {
        "run \(id) (\(command), pid \(pid) on host \(host), started \(startedAt))"
    }
}
