import Foundation

/// The length of one period of `report --by`: a UTC day, an ISO week (Monday to Sunday) or a calendar month. Each
/// period is named by its first day, `YYYY-MM-DD`.
public enum TrendPeriod: String, CaseIterable, Sendable, Codable {
    case day, week, month

    /// The first day of the period holding `day` (`YYYY-MM-DD`); nil when `day` is not a date.
    public func start(of day: String) -> String? {
        guard let date = Self.date(day) else { return nil }
        switch self {
        case .day: return Self.text(date)
        case .week:
            let weekday = Self.calendar.component(.weekday, from: date)  // 1 is Sunday
            return Self.text(Self.calendar.date(byAdding: .day, value: -((weekday + 5) % 7), to: date)!)
        case .month: return String(day.prefix(8)) + "01"
        }
    }

    /// The first day of the period after the one starting on `start`.
    public func next(after start: String) -> String {
        let date = Self.date(start)!
        let next = switch self {
        case .day: Self.calendar.date(byAdding: .day, value: 1, to: date)!
        case .week: Self.calendar.date(byAdding: .day, value: 7, to: date)!
        case .month: Self.calendar.date(byAdding: .month, value: 1, to: date)!
        }
        return Self.text(next)
    }

    /// The Gregorian calendar in UTC, in which every period and `TrendTime` are reckoned.
    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    private static func date(_ day: String) -> Date? {
        let parts = day.split(separator: "-").compactMap { Int($0) }
        guard day.count == 10, parts.count == 3,
              let date = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2])),
              text(date) == day else { return nil }
        return date
    }

    private static func text(_ date: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }
}
