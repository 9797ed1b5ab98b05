import LabelStore

/// A confidence gate: a label whose deciding head is within this margin of 0.5 is given the kind `uncertain`
/// (its probabilities unchanged), so a caller routing on the kind does not route on a coin flip.
///
/// The heads that decide a kind are those its rule consults: the keyword head alone for `keyword`
/// (`p_keyword >= 0.5`); for `question` and `statement` the keyword head's "no" and the question head's answer,
/// so either being near 0.5 makes the kind uncertain. A reviewed kind is a person's and never gated. Only what is
/// printed or answered changes: `label` stores the model's kind, and the `<table>_labeled` view can apply a margin
/// in SQL (docs/database.md).
public struct UncertainMargin: Sendable, Equatable {
    /// The margin; 0 is off (nothing is uncertain), 0.5 marks everything short of certainty.
    public let value: Double

    /// No gate: every kind as the model gives it.
    public static let off = UncertainMargin(checked: 0)

    /// The kind a gated label gets.
    public static let kind = "uncertain"

    /// A margin from 0 to 0.5; `Invalid` otherwise (a probability is never further than 0.5 from 0.5).
    public init(_ value: Double) throws(Invalid) {
        guard value >= 0, value <= 0.5 else { throw Invalid(value: value) }
        self.init(checked: value)
    }

    private init(checked value: Double) { self.value = value }

    /// `label` with the kind `uncertain` when a head that decided it is strictly within the margin of 0.5.
    public func apply(to label: StoredLabel) -> StoredLabel {
        func near(_ probability: Double) -> Bool { abs(probability - 0.5) < value }
        let deciding = label.kind == "keyword" ? [label.pKeyword] : [label.pKeyword, label.pQuestion]
        guard deciding.contains(where: near) else { return label }
        var gated = label
        gated.kind = Self.kind
        return gated
    }

    /// `records` with the gate applied to each label; records without one, and reviewed ones (a person decided
    /// their kind), are unchanged.
    public func apply(to records: [PredictionRecord]) -> [PredictionRecord] {
        guard value > 0 else { return records }
        return records.map { record in
            guard record.reviewed != true else { return record }
            var record = record
            record.label = record.label.map(apply(to:))
            return record
        }
    }

    /// A margin outside 0...0.5 (or not a number).
    public struct Invalid: Error, CustomStringConvertible {
        public let value: Double
        public var description: String {
            "must be a number from 0 to 0.5 (the margin around 0.5 within which a kind is uncertain), not \(value)"
        }
    }
}
