/// A reproducible stream of real-looking search queries for benchmarks: the same seed gives the same texts,
/// so querykind and the PyTorch reference (`bench/reference.py`) time exactly the same work.
///
/// The mix follows query logs: mostly short keyword queries (2-5 words), then questions and statements
/// (5-15 words), and a few long requests (30-60 words); about 10 tokens per query on average.
public struct Workload: Sequence, IteratorProtocol {
    private var random: SplitMix64

    public init(seed: UInt64) { random = SplitMix64(seed: seed) }

    public mutating func next() -> String? {
        let roll = random.below(100)
        switch roll {
        case 0..<45: return keywordQuery()
        case 45..<75: return question()
        case 75..<97: return statement()
        default: return longRequest()
        }
    }

    private mutating func pick(_ words: [String]) -> String { words[random.below(words.count)] }

    private mutating func keywordQuery() -> String {
        var words = [pick(WorkloadWords.adjectives), pick(WorkloadWords.nouns)]
        if random.below(2) == 0 { words.append(pick(WorkloadWords.places)) }
        if random.below(3) == 0 { words.append(pick(WorkloadWords.nouns)) }
        if random.below(4) == 0 { words.insert(pick(WorkloadWords.brands), at: 0) }
        return words.joined(separator: " ")
    }

    private mutating func question() -> String {
        let subject = "\(pick(WorkloadWords.determiners)) \(pick(WorkloadWords.adjectives)) \(pick(WorkloadWords.nouns))"
        let text = "\(pick(WorkloadWords.questionStarts)) \(subject) \(pick(WorkloadWords.verbs)) in \(pick(WorkloadWords.places))"
        return random.below(2) == 0 ? text.capitalizedFirst + "?" : text
    }

    private mutating func statement() -> String {
        let text = "\(pick(WorkloadWords.determiners)) \(pick(WorkloadWords.nouns)) \(pick(WorkloadWords.verbs))s "
            + "\(pick(WorkloadWords.determiners)) \(pick(WorkloadWords.adjectives)) \(pick(WorkloadWords.nouns)) "
            + "near \(pick(WorkloadWords.places))"
        return text.capitalizedFirst + "."
    }

    private mutating func longRequest() -> String {
        var clauses = ["I am looking for \(pick(WorkloadWords.determiners)) \(pick(WorkloadWords.nouns))"]
        for _ in 0..<(4 + random.below(6)) {
            clauses.append("\(pick(WorkloadWords.connectives)) \(pick(WorkloadWords.determiners)) "
                           + "\(pick(WorkloadWords.adjectives)) \(pick(WorkloadWords.nouns)) \(pick(WorkloadWords.verbs))s")
        }
        return clauses.joined(separator: " ") + ", can you help?"
    }
}

/// The small, fast, seedable generator from Steele et al. (2014): the same seed gives the same numbers on every
/// machine, which benchmarks and tests that pick random moments need (the standard library's generator is unseeded).
public struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in `0..<bound`.
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}

private extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
