import Foundation

/// Times as querykind's tables show them, UTC ISO-8601 with milliseconds (`2026-11-30T12:00:00.250Z`): what SQLite's
/// schema defaults write (`strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`), and how a PostgreSQL timestamp is read back, so
/// `report` shows the same text on both engines.
public enum Timestamp {
    /// `milliseconds` since 1970 as text (rounded down, as `strftime('%f')` shows them).
    public static func text(millisecondsSince1970 milliseconds: Int64) -> String {
        let (seconds, fraction) = milliseconds.quotientAndRemainder(dividingBy: 1000)
        var time = time_t(fraction < 0 ? seconds - 1 : seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec),
                      Int(fraction < 0 ? fraction + 1000 : fraction))
    }

    /// `date` as text.
    public static func text(_ date: Date = Date()) -> String {
        text(millisecondsSince1970: Int64((date.timeIntervalSince1970 * 1000).rounded(.down)))
    }
}
