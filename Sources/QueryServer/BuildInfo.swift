/// What this binary is, for `querykind --version`, `GET /info` and the Debian package's name.
///
/// Why the commit is a generated file: Swift has no compile-time string defines, so a build that records its commit
/// (a packaging script) writes `BuildCommit.swift` before it builds and puts the committed default back afterwards;
/// a plain `swift build` says it does not know its commit rather than guess one from a tree that may have moved on.
public enum BuildInfo {
    /// The release version, the one place it is written.
    public static let version = "0.1.0"
    /// The git commit the binary was built from, or a sentence saying this build did not record it.
    public static let commit = buildCommit
}
