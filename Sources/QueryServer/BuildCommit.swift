// A release or packaging build writes the commit here before it builds, then puts this line back (see BuildInfo).
let buildCommit = "unknown (not recorded by this build)"
