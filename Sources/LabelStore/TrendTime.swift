import Foundation

/// A moment as `report --by` compares them: UTC text `YYYY-MM-DDTHH:MM:SS`, which sorts as time does and is what
/// each engine's `LabelDatabase.utcTimeSQL` turns a time column into, so the range filter is a text comparison both
/// engines run alike.
public enum TrendTime {
    /// `text` (a date `2026-11-01`, or an ISO-8601 time `2026-11-01T09:30:00Z`, with `T` or a space, seconds and
    /// fraction optional, `Z` or `±HH:MM`; none means UTC) as UTC comparison text; nil when it is none of these.
    public static func normalized(_ text: String) -> String? {
        let match = text.wholeMatch(of: /(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?/)
        guard let match else { return nil }
        var components = DateComponents(
            year: Int(match.1), month: Int(match.2), day: Int(match.3),
            hour: match.4.flatMap { Int($0) } ?? 0, minute: match.5.flatMap { Int($0) } ?? 0,
            second: match.6.flatMap { Int($0) } ?? 0)
        guard (1...12).contains(components.month!), (1...31).contains(components.day!),
              (0...23).contains(components.hour!), (0...59).contains(components.minute!),
              (0...60).contains(components.second!) else { return nil }
        var offset = 0
        if let zone = match.7, zone != "Z" {
            let digits = zone.dropFirst().filter(\.isNumber)
            offset = (Int(digits.prefix(2))! * 60 + Int(digits.suffix(2))!) * 60 * (zone.first == "-" ? -1 : 1)
        }
        components.timeZone = TimeZone(secondsFromGMT: offset)
        guard let date = calendar.date(from: components),
              calendar.component(.day, from: date.addingTimeInterval(TimeInterval(offset))) == components.day
        else { return nil }
        let utc = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d", utc.year!, utc.month!, utc.day!, utc.hour!,
                      utc.minute!, utc.second!)
    }

    private static var calendar: Calendar { TrendPeriod.calendar }
}
