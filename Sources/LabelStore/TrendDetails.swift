/// What the trend page (`report --by … --html`) shows beside `TrendReport`: where the confidence lies over the whole
/// range, and which labels of the latest period a person should look at first (`LabelDatabase.trendDetails`).
public struct TrendDetails: Sendable, Equatable {
    /// Labeled rows in ten bins of width 0.1 over the keyword head's probability (`[0, 0.1)` first), as `report`'s.
    public var keywordHistogram = [Int](repeating: 0, count: 10)
    /// The same over the question head's probability.
    public var questionHistogram = [Int](repeating: 0, count: 10)
    /// The latest period's labeled rows nearest a coin flip of their deciding head, each with `rows` 1.
    public var leastConfident: [LabelReport.Example] = []

    public init() {}
}
