/// The check that no object of the user's holds one of querykind's names, written once for both engines over their
/// catalogs (`SchemaEngine.object(named:)`, `isQuerykinds(_:as:)`).
///
/// Why before anything is written: a user's own `query_labels` (or `label_runs`, or a view named `label_cache`) must
/// be neither adopted as querykind's nor found half-way through a migration; the person gets one line naming it.
extension LabelDatabase {
    /// Fails with `StoreError.nameClash` when an object already holds a name querykind's migrations create, and it is
    /// not querykind's: the name belongs to a migration not yet applied, or the object is not what querykind made
    /// (another type, or a table without querykind's columns). Reads only, so commands call it before any other work
    /// (`checkSchemaIsKnown`).
    public func checkNoNameClashes() throws {
        let applied = Set(try expectedObjects(atVersion: effectiveSchemaVersion()).map { $0.name.lowercased() })
        for expected in try expectedObjects(atVersion: latestVersion) {
            guard let existing = try object(named: expected.name) else { continue }
            guard applied.contains(expected.name.lowercased()), try isQuerykinds(existing, as: expected) else {
                throw StoreError.nameClash(object: existing, path: displayName)
            }
        }
    }
}
