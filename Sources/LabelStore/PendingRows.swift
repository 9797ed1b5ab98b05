/// Which source rows count as pending for a model: unlabeled, or (`--relabel`) labeled by another model.
public struct Pending: Sendable {
    public var source: SourceTable
    /// The model that will label them.
    public var model: String
    /// Also take rows labeled by a different model (`--relabel`).
    public var relabel: Bool

    public init(source: SourceTable, model: String, relabel: Bool) {
        self.source = source
        self.model = model
        self.relabel = relabel
    }
}
