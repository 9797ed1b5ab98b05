import BertClassifier
import Foundation
import LabelStore

/// Batches concurrent model calls from many callers, the way text-embeddings-inference does: one queue of
/// distinct cache keys, dedicated worker threads, and a batch that takes whatever is waiting when a worker frees up
/// (capped by a token budget, no timer), so a lone caller on an idle queue waits for nothing. A batch takes one key
/// from each waiting request in turn, so a request of a few texts runs in the next batch however many a big
/// request queued before it.
///
/// Why: a server answering one text per request would otherwise run the model once per request; batching the
/// requests that arrive while the model is busy multiplies throughput under load. Workers are plain threads, not
/// Swift's cooperative pool, so inference never starves the tasks handling connections. A key already in flight
/// is computed once for every caller waiting on it, and a caller that is cancelled before its batch runs (its
/// client went away) costs no inference.
public final class InferenceQueue: @unchecked Sendable {
    /// How much the queue batches, holds and runs at once.
    public struct Limits: Sendable {
        /// Worker threads, each running one batch at a time.
        public var workers: Int
        /// Most tokens in one batch (a single longer sequence still runs, alone).
        public var maxBatchTokens: Int
        /// Most distinct keys waiting; beyond it `predict` throws `QueueFull` rather than grow without bound.
        public var capacity: Int
        /// Most tokens waiting, the model work queued: beyond it `predict` throws `QueueFull`, and a call whose new
        /// keys alone need more throws `TooMuchWork`. Why tokens and not keys: a long text costs the model up to 50
        /// times a short one, so a limit in keys let one request queue a minute of work in front of everyone.
        public var tokenCapacity: Int

        public init(workers: Int, maxBatchTokens: Int, capacity: Int, tokenCapacity: Int = 65_536) {
            self.workers = max(1, workers)
            self.maxBatchTokens = max(1, maxBatchTokens)
            self.capacity = max(1, capacity)
            self.tokenCapacity = max(1, tokenCapacity)
        }
    }

    /// One key to label: its normalized text and the token ids the model sees.
    public struct Item: Sendable {
        public var key: String
        public var tokens: [Int32]

        public init(key: String, tokens: [Int32]) {
            self.key = key
            self.tokens = tokens
        }
    }

    /// A caller's label for one item, and whether this caller's item is the one the model ran for (false when
    /// it shared a key already in flight or answered by `recall`, which the cache counts as a hit).
    public struct Answer: Sendable {
        public var label: StoredLabel
        public var computed: Bool
        /// When the model call that computed the label began; nil for a label answered without waiting for one.
        /// The server's `x-queue-time` and `x-inference-time` split a request's wait at the earliest of these.
        public var modelStarted: ContinuousClock.Instant? = nil
    }

    /// A finished batch, reported before its callers are answered (so a cache filled from it is never behind).
    public struct BatchReport: Sendable {
        public var keys: [String]
        public var labels: [StoredLabel]
        public var tokens: Int
        public var duration: Duration
    }

    /// Thrown when admitting a call would put more than `Limits.capacity` keys or `Limits.tokenCapacity` tokens in
    /// the queue; a retry once the queue drains can succeed.
    public struct QueueFull: Error, Sendable {
        public let capacity: Int
        public let tokenCapacity: Int
    }

    /// Thrown when a call's new keys alone need more than `Limits.tokenCapacity` tokens: no retry can succeed, the
    /// caller must split the call.
    public struct TooMuchWork: Error, Sendable {
        public let tokens: Int
        public let tokenCapacity: Int
    }

    /// Thrown by `predict` after `close()`.
    public struct Closed: Error, Sendable {}

    private let classifier: QueryClassifier
    private let limits: Limits
    private let recall: @Sendable (String) -> StoredLabel?
    private let onBatch: @Sendable (BatchReport) -> Void
    private let condition = NSCondition()
    private let finished = DispatchGroup()
    // Guarded by `condition`:
    /// The requests with keys waiting, in round-robin order from `nextLane` (a new request joins at the end).
    private var lanes: [Lane] = []
    private var nextLane = 0
    private var waitingCount = 0
    private var waitingTokens = 0
    private var inFlight: [String: Job] = [:]
    private var closed = false
    private var abandoned = 0

    /// Starts `limits.workers` threads. `recall` is asked (under the queue's lock) for a key that is not in flight,
    /// so a label `onBatch` has just cached is not computed again; `onBatch` sees every finished batch.
    public init(classifier: QueryClassifier, limits: Limits,
                recall: @escaping @Sendable (String) -> StoredLabel? = { _ in nil },
                onBatch: @escaping @Sendable (BatchReport) -> Void = { _ in }) {
        self.classifier = classifier
        self.limits = limits
        self.recall = recall
        self.onBatch = onBatch
        for index in 0..<limits.workers {
            finished.enter()
            let thread = Thread { [self] in
                runWorker()
                finished.leave()
            }
            thread.name = "querykind-inference-\(index)"
            thread.start()
        }
    }

    /// Keys waiting for a worker.
    public var depth: Int { condition.withLock { waitingCount } }

    /// Keys dropped because every caller waiting for them was cancelled before their batch ran.
    public var abandonedCount: Int { condition.withLock { abandoned } }

    /// Labels `items` (answers in the same order), all admitted or none: throws `QueueFull` when the new keys do
    /// not fit now, `TooMuchWork` when they never would, `Closed` after `close()`, and `CancellationError` when the
    /// calling task is cancelled first.
    public func predict(_ items: [Item]) async throws -> [Answer] {
        try await predict(items, ticket: Ticket(count: items.count))
    }

    /// `predict` with the caller's ticket, so a test can watch it go away once answered.
    func predict(_ items: [Item], ticket: Ticket) async throws -> [Answer] {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                condition.lock()
                let result = Result { try admit(items, ticket: ticket, continuation: continuation) }
                condition.unlock()
                switch result {
                case .success(let answers?): continuation.resume(returning: answers)
                case .success(nil): break
                case .failure(let error): continuation.resume(throwing: error)
                }
            }
        } onCancel: {
            cancel(ticket)
        }
    }

    /// Lets the workers finish every admitted key, then stops them; later calls throw `Closed`.
    public func close() {
        condition.withLock {
            closed = true
            condition.broadcast()
        }
        finished.wait()
    }

    /// Queues `items` for `ticket` (with the lock held); returns the answers at once when nothing has to wait.
    private func admit(_ items: [Item], ticket: Ticket,
                       continuation: CheckedContinuation<[Answer], any Error>) throws -> [Answer]? {
        if ticket.isDone { throw CancellationError() }
        if closed { throw Closed() }
        var fresh: Set<String> = []
        var recalled: [String: StoredLabel] = [:]
        for item in items where inFlight[item.key] == nil && !fresh.contains(item.key) && recalled[item.key] == nil {
            if let label = recall(item.key) { recalled[item.key] = label } else { fresh.insert(item.key) }
        }
        var freshTokens = 0
        var counted: Set<String> = []
        for item in items where fresh.contains(item.key) && counted.insert(item.key).inserted {
            freshTokens += item.tokens.count
        }
        guard freshTokens <= limits.tokenCapacity else {
            throw TooMuchWork(tokens: freshTokens, tokenCapacity: limits.tokenCapacity)
        }
        guard waitingCount + fresh.count <= limits.capacity, waitingTokens + freshTokens <= limits.tokenCapacity else {
            throw QueueFull(capacity: limits.capacity, tokenCapacity: limits.tokenCapacity)
        }
        var queued: [Job] = []
        for (index, item) in items.enumerated() {
            if let job = inFlight[item.key] {
                job.waiters.append(Waiter(ticket: ticket, index: index, computed: false))
                ticket.jobs.append(job)
            } else if fresh.contains(item.key) {
                let job = Job(key: item.key, tokens: item.tokens)
                job.waiters.append(Waiter(ticket: ticket, index: index, computed: true))
                ticket.jobs.append(job)
                inFlight[item.key] = job
                queued.append(job)
                waitingCount += 1
                waitingTokens += job.tokens.count
            } else if let label = recalled[item.key] {
                ticket.answer(index, Answer(label: label, computed: false))
            }
        }
        if !queued.isEmpty { lanes.append(Lane(queued)) }
        if ticket.remaining == 0 { return ticket.finish() }
        ticket.continuation = continuation
        condition.broadcast()
        return nil
    }

    /// Withdraws a cancelled caller: its keys nobody else waits for leave the queue unrun.
    private func cancel(_ ticket: Ticket) {
        let continuation: CheckedContinuation<[Answer], any Error>? = condition.withLock {
            guard !ticket.isDone else { return nil }
            let jobs = ticket.jobs
            _ = ticket.finish()
            for job in jobs {
                job.waiters.removeAll { $0.ticket === ticket }
                if job.waiters.isEmpty && job.state == .waiting {
                    job.state = .abandoned
                    inFlight[job.key] = nil
                    waitingCount -= 1
                    waitingTokens -= job.tokens.count
                    abandoned += 1
                }
            }
            return ticket.continuation.take()
        }
        continuation?.resume(throwing: CancellationError())
    }

    private func runWorker() {
        while let batch = nextBatch() {
            let clock = ContinuousClock()
            let start = clock.now
            let labels = classifier.predict(tokenIDs: batch.map(\.tokens)).map(StoredLabel.init)
            onBatch(BatchReport(keys: batch.map(\.key), labels: labels, tokens: batch.reduce(0) { $0 + $1.tokens.count },
                                duration: clock.now - start))
            var ready: [(CheckedContinuation<[Answer], any Error>, [Answer])] = []
            condition.withLock {
                for (job, label) in zip(batch, labels) {
                    inFlight[job.key] = nil
                    for waiter in job.waiters {
                        waiter.ticket.answer(waiter.index, Answer(label: label, computed: waiter.computed,
                                                                  modelStarted: start))
                        if waiter.ticket.remaining == 0, let continuation = waiter.ticket.continuation.take() {
                            ready.append((continuation, waiter.ticket.finish()))
                        }
                    }
                    job.waiters = []
                }
            }
            for (continuation, answers) in ready { continuation.resume(returning: answers) }
        }
    }

    /// Blocks until keys are waiting and takes, one request's oldest key at a time in round-robin order, the keys
    /// that fit the token budget; nil once closed and empty.
    private func nextBatch() -> [Job]? {
        condition.lock()
        defer { condition.unlock() }
        while waitingCount == 0 {
            if closed { return nil }
            condition.wait()
        }
        var batch: [Job] = []
        var tokens = 0
        while !lanes.isEmpty {
            if nextLane >= lanes.count { nextLane = 0 }
            let lane = lanes[nextLane]
            guard let job = lane.next() else {
                lanes.remove(at: nextLane)
                continue
            }
            if !batch.isEmpty && tokens + job.tokens.count > limits.maxBatchTokens { break }
            lane.removeNext()
            job.state = .running
            batch.append(job)
            tokens += job.tokens.count
            waitingCount -= 1
            waitingTokens -= job.tokens.count
            if lane.next() == nil { lanes.remove(at: nextLane) } else { nextLane += 1 }
        }
        return batch
    }

    /// One request's keys that it put in the queue, oldest first (a key it shares with an earlier request waits in
    /// that request's lane).
    private final class Lane {
        /// Reversed, so taking the oldest is `removeLast`.
        private var jobs: [Job]

        init(_ jobs: [Job]) { self.jobs = jobs.reversed() }

        /// The oldest key still waiting, after dropping those withdrawn by cancellation.
        func next() -> Job? {
            while let job = jobs.last, job.state != .waiting { jobs.removeLast() }
            return jobs.last
        }

        func removeNext() { jobs.removeLast() }
    }

    /// One key's computation. Its waiters and their tickets' `jobs` point at each other until it is answered or
    /// withdrawn: both links are dropped then, or every answered request would stay in memory with its keys and
    /// tokens.
    final class Job: @unchecked Sendable {
        enum State { case waiting, running, abandoned }
        let key: String
        let tokens: [Int32]
        var waiters: [Waiter] = []
        var state = State.waiting

        init(key: String, tokens: [Int32]) {
            self.key = key
            self.tokens = tokens
        }
    }

    struct Waiter {
        let ticket: Ticket
        let index: Int
        let computed: Bool
    }

    /// One `predict` call's answers as they arrive (touched only under the queue's lock).
    final class Ticket: @unchecked Sendable {
        var answers: [Answer?]
        var remaining: Int
        var jobs: [Job] = []
        var continuation: CheckedContinuation<[Answer], any Error>?
        private(set) var isDone = false

        init(count: Int) {
            answers = Array(repeating: nil, count: count)
            remaining = count
        }

        func answer(_ index: Int, _ answer: Answer) {
            guard !isDone, answers[index] == nil else { return }
            answers[index] = answer
            remaining -= 1
        }

        /// Marks the call answered (or withdrawn) and lets go of its jobs.
        func finish() -> [Answer] {
            isDone = true
            jobs = []
            return answers.compactMap { $0 }
        }
    }
}

private extension Optional {
    /// The value, leaving nil behind (so a continuation is resumed exactly once).
    mutating func take() -> Wrapped? {
        defer { self = nil }
        return self
    }
}
