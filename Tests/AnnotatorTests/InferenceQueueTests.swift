@testable import Annotator
import BertClassifier
import Foundation
import LabelStore
import QueryKindTestSupport
import XCTest

/// The micro-batching queue: batches by token budget, one computation per key in flight, cancelled callers cost no
/// inference, overload is refused whole, and closing finishes what was admitted.
final class InferenceQueueTests: XCTestCase {
    private let classifier = TinyModel.fp32

    private static func items(_ texts: [String]) -> [InferenceQueue.Item] {
        texts.map { InferenceQueue.Item(key: $0, tokens: TinyModel.fp32.tokenizer.encode($0)) }
    }

    func testABatchTakesWhatIsWaitingUpToTheTokenBudget() async throws {
        let batches = Recorded<[String]>()
        let texts = (0..<10).map { "query \($0)" }  // [CLS] query N [SEP]: 4 tokens each
        XCTAssertEqual(Set(Self.items(texts).map(\.tokens.count)), [4])
        let queue = InferenceQueue(classifier: classifier, limits: .init(workers: 1, maxBatchTokens: 12, capacity: 100),
                                   onBatch: { batches.append($0.keys) })
        let answers = try await queue.predict(Self.items(texts))
        queue.close()
        XCTAssertEqual(batches.values.map(\.count), [3, 3, 3, 1])
        XCTAssertEqual(batches.values.flatMap { $0 }, texts)
        for (text, answer) in zip(texts, answers) {
            let alone = classifier.predict(tokenIDs: [classifier.tokenizer.encode(text)])[0]
            XCTAssertEqual(answer.label.kind, alone.kind.rawValue)
            XCTAssertEqual(answer.label.pKeyword, Double(alone.pKeyword), accuracy: 1e-6)
            XCTAssertTrue(answer.computed)
        }
    }

    func testAKeyInFlightIsComputedOnceForEveryCaller() async throws {
        let busy = try await BusyQueue(capacity: 100)
        let queue = busy.queue
        // Admit the callers one after the other: each adds one new key, so the depth shows it is in.
        async let first = queue.predict(Self.items(["same", "other", "same"]))
        try await waitUntil { queue.depth == 2 }
        async let second = queue.predict(Self.items(["same", "marker"]))
        try await waitUntil { queue.depth == 3 }
        busy.gate.open()
        let (firstAnswers, secondAnswers) = try await (first, second)
        _ = try await busy.blocker.value
        queue.close()
        XCTAssertEqual(busy.batches.values, [["blocker"], ["same", "marker", "other"]], "one key per request in turn")
        XCTAssertEqual(firstAnswers.map(\.computed), [true, true, false])
        XCTAssertEqual(secondAnswers.map(\.computed), [false, true])
        XCTAssertEqual(secondAnswers[0].label, firstAnswers[0].label)
    }

    func testACallerCancelledBeforeItsBatchRunsCostsNoInference() async throws {
        let busy = try await BusyQueue(capacity: 100)
        let queue = busy.queue
        let lateItems = Self.items(["nobody waits for this"])
        let abandoned = Task.detached { try await queue.predict(lateItems) }
        try await waitUntil { queue.depth == 1 }
        abandoned.cancel()
        do {
            _ = try await abandoned.value
            XCTFail("a cancelled caller got answers")
        } catch is CancellationError {}
        XCTAssertEqual(queue.depth, 0)
        busy.gate.open()
        _ = try await busy.blocker.value
        queue.close()
        XCTAssertEqual(busy.batches.values, [["blocker"]])
        XCTAssertEqual(queue.abandonedCount, 1)
    }

    func testACallThatDoesNotFitIsRefusedWhole() async throws {
        let busy = try await BusyQueue(capacity: 2)
        let queue = busy.queue
        do {
            _ = try await queue.predict(Self.items(["a", "b", "c"]))
            XCTFail("three new keys fit a queue of two")
        } catch let full as InferenceQueue.QueueFull {
            XCTAssertEqual(full.capacity, 2)
        }
        XCTAssertEqual(queue.depth, 0)
        busy.gate.open()
        _ = try await busy.blocker.value
        let fits = try await queue.predict(Self.items(["a", "b", "a"]))
        XCTAssertEqual(fits.count, 3)
        queue.close()
    }

    /// The queue holds model work, counted in tokens: a call whose new keys need more than it ever holds is refused
    /// as too much work (no retry helps), one that does not fit beside what waits is refused as full, and keys
    /// already in flight cost the call nothing.
    func testWorkIsBoundedInTokensNotTexts() async throws {
        let long = Array(repeating: "word", count: 20).joined(separator: " ")  // 22 tokens
        XCTAssertEqual(Self.items([long])[0].tokens.count, 22)
        let busy = try await BusyQueue(capacity: 100, tokenCapacity: 40)
        let queue = busy.queue
        // A call wrongly admitted would wait for the held worker forever: release it after a while, so it fails.
        let watchdog = Task { try await Task.sleep(for: .seconds(10)); busy.gate.open() }
        defer { watchdog.cancel() }
        do {
            _ = try await queue.predict(Self.items([long, long + " x"]))
            XCTFail("45 tokens of new work fit a queue of 40")
        } catch let work as InferenceQueue.TooMuchWork {
            XCTAssertEqual([work.tokens, work.tokenCapacity], [45, 40])
        }
        async let waiting = queue.predict(Self.items([long]))
        try await waitUntil { queue.depth == 1 }
        do {
            _ = try await queue.predict(Self.items([long + " y"]))
            XCTFail("22 + 23 tokens fit a queue of 40")
        } catch let full as InferenceQueue.QueueFull {
            XCTAssertEqual(full.tokenCapacity, 40)
        }
        // The same long text again shares the waiting key: no new work, admitted.
        async let shared = queue.predict(Self.items([long, "a"]))
        try await waitUntil { queue.depth == 2 }
        busy.gate.open()
        let (first, second) = try await (waiting, shared)
        XCTAssertEqual(second[0].label, first[0].label)
        _ = try await busy.blocker.value
        let fits = try await queue.predict(Self.items([long + " y"]))
        XCTAssertEqual(fits.count, 1, "room again once the queue drained")
        queue.close()
    }

    func testRecalledKeysAreAnsweredWithoutTheModel() async throws {
        let known = StoredLabel(kind: "question", pKeyword: 0.25, pQuestion: 0.75)
        let batches = Recorded<[String]>()
        let queue = InferenceQueue(classifier: classifier, limits: .init(workers: 1, maxBatchTokens: 100, capacity: 10),
                                   recall: { $0 == "known" ? known : nil }, onBatch: { batches.append($0.keys) })
        let answers = try await queue.predict(Self.items(["known", "unknown"]))
        queue.close()
        XCTAssertEqual(answers[0].label, known)
        XCTAssertFalse(answers[0].computed)
        XCTAssertEqual(batches.values, [["unknown"]])
    }

    func testCloseFinishesAdmittedKeysAndRefusesNewCalls() async throws {
        let batches = Recorded<Int>()
        let queue = InferenceQueue(classifier: classifier, limits: .init(workers: 2, maxBatchTokens: 8, capacity: 100),
                                   onBatch: { batches.append($0.keys.count) })
        async let answers = queue.predict(Self.items((0..<20).map { "text \($0)" }))
        // Close once the call is certainly admitted: a batch of it has run.
        try await waitUntil { !batches.values.isEmpty }
        let closing = Task.detached { queue.close() }
        let answered = try await answers
        await closing.value
        XCTAssertEqual(answered.count, 20)
        do {
            _ = try await queue.predict(Self.items(["late"]))
            XCTFail("a closed queue admitted a call")
        } catch is InferenceQueue.Closed {}
    }

    /// A request keeps nothing alive once answered: its ticket and its keys' jobs (with their tokens) are freed, so memory
    /// stays bounded however many requests a server answers.
    func testAnAnsweredCallLeavesNothingBehind() async throws {
        let busy = try await BusyQueue(capacity: 100)
        let queue = busy.queue
        weak var answered: InferenceQueue.Ticket?
        weak var computed: InferenceQueue.Job?
        do {
            let ticket = InferenceQueue.Ticket(count: 2)
            answered = ticket
            async let answers = queue.predict(Self.items(["forgotten once answered", "blocker"]), ticket: ticket)
            try await waitUntil { queue.depth == 1 }
            computed = ticket.jobs.first { $0.key == "forgotten once answered" }
            XCTAssertNotNil(computed)
            busy.gate.open()
            let answered = try await answers
            XCTAssertEqual(answered.count, 2)
        }
        _ = try await busy.blocker.value
        queue.close()
        XCTAssertNil(answered, "an answered request is still referenced")
        XCTAssertNil(computed, "a computed key is still referenced")
    }

    /// A request of one text queued behind a request of hundreds runs in the very next batch (round-robin between
    /// requests), not after the whole big request (first in, first out).
    func testASmallRequestRunsInTheNextBatchBehindABigOne() async throws {
        let busy = try await BusyQueue(capacity: 1000, maxBatchTokens: 40)
        let queue = busy.queue
        let bigTexts = (0..<300).map { "big request text \($0)" }
        async let big = queue.predict(Self.items(bigTexts))
        try await waitUntil { queue.depth == bigTexts.count }
        async let small = queue.predict(Self.items(["small request"]))
        try await waitUntil { queue.depth == bigTexts.count + 1 }
        busy.gate.open()
        let (bigAnswers, smallAnswers) = try await (big, small)
        _ = try await busy.blocker.value
        queue.close()
        XCTAssertEqual(bigAnswers.count, bigTexts.count)
        XCTAssertEqual(smallAnswers.map(\.computed), [true])
        let batches = busy.batches.values
        XCTAssertGreaterThan(batches.count, 20, "the big request takes many batches")
        XCTAssertEqual(batches.firstIndex { $0.contains("small request") }, 1, "the first batch after the blocker")
        XCTAssertEqual(batches.dropFirst().flatMap { $0 }.filter { $0 != "small request" }, bigTexts,
                       "one request's keys still run in its order")
    }
}

/// A one-worker queue whose worker is held inside its first batch (the key "blocker") until `gate.open()`.
private struct BusyQueue {
    let queue: InferenceQueue
    let gate = WorkerGate()
    let batches = Recorded<[String]>()
    let blocker: Task<[InferenceQueue.Answer], any Error>

    init(capacity: Int, maxBatchTokens: Int = 100, tokenCapacity: Int = 65_536) async throws {
        let (gate, batches) = (gate, batches)
        let queue = InferenceQueue(classifier: TinyModel.fp32,
                                   limits: .init(workers: 1, maxBatchTokens: maxBatchTokens, capacity: capacity,
                                                 tokenCapacity: tokenCapacity),
                                   onBatch: { batches.append($0.keys); gate.pass() })
        let items = [InferenceQueue.Item(key: "blocker", tokens: TinyModel.fp32.tokenizer.encode("blocker"))]
        blocker = Task.detached { try await queue.predict(items) }
        self.queue = queue
        try await gate.waitUntilHeld()
    }
}

/// Holds the inference worker inside its first batch's report until the test opens the gate, so the test can
/// queue, cancel or overload callers while the model is busy.
private final class WorkerGate: @unchecked Sendable {
    private let held = DispatchSemaphore(value: 0)
    private let release = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var first = true

    /// Called by the worker after each batch: blocks on the first one.
    func pass() {
        let isFirst = lock.withLock { defer { first = false }; return first }
        guard isFirst else { return }
        held.signal()
        release.wait()
    }

    func waitUntilHeld() async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while held.wait(timeout: .now()) != .success {
            guard ContinuousClock.now < deadline else { throw CancellationError() }
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    func open() { release.signal() }
}

/// Values appended from the worker thread, read by the test.
private final class Recorded<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [Value] = []

    func append(_ value: Value) { lock.withLock { stored.append(value) } }
    var values: [Value] { lock.withLock { stored } }
}
