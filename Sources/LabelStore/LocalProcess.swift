import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// This machine and its processes as `label_runs` records them (`host`, `pid`): how each store tells a `running` run
/// whose process is gone from one still going, the same way for SQLite and PostgreSQL.
public enum LocalProcess {
    /// This machine's host name, so runs on another machine sharing a database are never judged dead here.
    public static let hostName: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "unknown" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }()

    /// This process's id, as a run records it.
    public static var id: Int64 { Int64(getpid()) }

    /// True when a process with this id exists on this machine. This process's own id counts as gone: runs are
    /// judged before this process records its own or after it ended it, so a `running` run with this id was left by
    /// an earlier process that had the same id. A recycled pid of another live process keeps a dead run `running`.
    public static func isAlive(_ pid: Int64) -> Bool {
        guard pid > 0, pid != id else { return false }
        return kill(pid_t(pid), 0) == 0 || errno == EPERM
    }
}
