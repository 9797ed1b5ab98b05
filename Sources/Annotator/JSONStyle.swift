import Foundation

/// How querykind writes JSON, on the command line (`--json`) and over HTTP (`serve`): keys sorted, `/` left as is.
///
/// Why one place: a script that reads `classify --json` should read the HTTP API's bodies the same way, byte for
/// byte; two encoders set up apart drifted (the HTTP one wrote "a\/b" where the command line wrote "a/b").
public enum JSONStyle {
    /// A new encoder in this style; `pretty` also indents (for a person reading, as `report --json` does).
    public static func encoder(pretty: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        if pretty { encoder.outputFormatting.insert(.prettyPrinted) }
        return encoder
    }
}
