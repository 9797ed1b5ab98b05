/// A failure reported as one `Error: …` line without the usage text (which `ValidationError` adds), for
/// problems with the database or the model rather than with the command line.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}
