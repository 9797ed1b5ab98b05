// scripts/package.sh replaces this line while it builds, then puts it back (see BuildInfo).
let buildCommit = "unknown (built without scripts/package.sh)"
