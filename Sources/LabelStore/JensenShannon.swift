import Foundation

/// How far apart two distributions over the same categories are, as the Jensen–Shannon distance in base 2: the
/// square root of the Jensen–Shannon divergence, 0 for the same mix and 1 for mixes with nothing in common. Why this
/// measure: it is symmetric, bounded and defined when a category is empty on one side (a new kind appearing), which
/// is what drift monitors compare prediction mixes with (Evidently's default for a categorical column).
public enum JensenShannon {
    /// The distance between the distributions that `counts` and `baseline` (same length, same category order) are
    /// counts of; nil when either has no counts at all.
    public static func distance(_ counts: [Int], _ baseline: [Int]) -> Double? {
        precondition(counts.count == baseline.count, "the two distributions must have the same categories")
        let (total, baselineTotal) = (Double(counts.reduce(0, +)), Double(baseline.reduce(0, +)))
        guard total > 0, baselineTotal > 0 else { return nil }
        let p = counts.map { Double($0) / total }
        let q = baseline.map { Double($0) / baselineTotal }
        let m = zip(p, q).map { ($0 + $1) / 2 }
        let divergence = (kullbackLeibler(p, m) + kullbackLeibler(q, m)) / 2
        return max(0, divergence).squareRoot()
    }

    /// KL(p ‖ m) in bits, where m is never 0 where p is not (m is the midpoint of p and another distribution).
    private static func kullbackLeibler(_ p: [Double], _ m: [Double]) -> Double {
        zip(p, m).reduce(0) { sum, pair in pair.0 > 0 ? sum + pair.0 * log2(pair.0 / pair.1) : sum }
    }
}
