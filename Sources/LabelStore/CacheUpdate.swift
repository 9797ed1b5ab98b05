/// New `label_cache` entries and hit counts to record, applied in one go (`LabelDatabase.recordCache`, or with a
/// batch in `write`).
public struct CacheUpdate: Sendable {
    public var model: String
    /// Keys labeled by the model this time.
    public var newEntries: [(key: String, label: StoredLabel)] = []
    /// How many times each existing (or just-created) key was served from the cache.
    public var hits: [String: Int] = [:]

    public init(model: String) { self.model = model }
}
