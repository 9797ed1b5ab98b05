import ArgumentParser

/// A failure reported as one `Error: …` line without the usage text (which `ValidationError` adds), for
/// problems with the database or the model rather than with the command line.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }

    /// Runs `body`, turning a `ValidationError` (e.g. from loading the model) into a one-line failure.
    static func oneLine<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as ValidationError {
            throw CommandFailure(error.message)
        }
    }
}
