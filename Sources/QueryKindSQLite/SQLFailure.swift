/// An error the host shows as the SQL statement's error: one line saying what is wrong and what to do.
struct SQLFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
