/// What this binary is, for `querykind --version`, `GET /info` and the Debian package's name.
///
/// Why the commit is a generated file: Swift has no compile-time string defines, so `scripts/package.sh` writes
/// `BuildCommit.swift` before it builds and puts the committed default back afterwards; a plain `swift build` says
/// it does not know its commit rather than guess one from a source tree that may have moved on.
public enum BuildInfo {
    /// The release version; `scripts/package.sh` reads it from here.
    public static let version = "0.1.0"
    /// The git commit the binary was built from (`-dirty` when the tree had uncommitted changes), or a sentence
    /// saying it was built without the packaging script.
    public static let commit = buildCommit
}
