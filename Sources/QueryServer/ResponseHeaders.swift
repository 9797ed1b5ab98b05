import Annotator
import Foundation
import Hummingbird

/// The headers querykind adds to answers, as text-embeddings-inference does: every answer names the model
/// (`x-querykind-model`), and a classify answer says how long its texts waited for the model and how long the
/// model took (`x-queue-time`, `x-inference-time`, in milliseconds; both 0 when every text came from a cache).
enum ResponseHeaders {
    /// `HTTPField.Name`, reached through the type Hummingbird exports.
    typealias Name = HTTPFields.Element.Name

    static let model = Name("x-querykind-model")!
    static let queueTime = Name("x-queue-time")!
    static let inferenceTime = Name("x-inference-time")!

    /// What a browser page may read (CORS `Access-Control-Expose-Headers`).
    static let exposed = [model, queueTime, inferenceTime].map(\.canonicalName)

    /// Milliseconds, with three decimals (a memory hit takes microseconds).
    static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return String(format: "%.3f", Double(seconds) * 1000 + Double(attoseconds) / 1e15)
    }
}

/// Adds `x-querykind-model` to every answer, errors included.
struct ModelHeaderMiddleware: RouterMiddleware {
    typealias Context = ServeRequestContext

    let modelID: String

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[ResponseHeaders.model] = modelID
        return response
    }
}

/// How long one classify request's texts waited for the model (`x-queue-time`) and how long the model then took
/// to answer the last of them (`x-inference-time`); both zero when every text came from a cache.
struct ModelTiming {
    var queue: Duration = .zero
    var inference: Duration = .zero

    init() {}

    /// Split at the start of the earliest model call that answered a text of the request; a call already running
    /// when the request arrived (a text another request asked first) counts from the request's arrival.
    init(queued: ContinuousClock.Instant, answers: [InferenceQueue.Answer]) {
        let answered = ContinuousClock.now
        guard let started = answers.compactMap(\.modelStarted).min() else { return }
        let modelStart = max(started, queued)
        queue = modelStart - queued
        inference = answered - modelStart
    }

    /// `response` with the two headers.
    func stamp(_ response: Response) -> Response {
        var response = response
        response.headers[ResponseHeaders.queueTime] = ResponseHeaders.milliseconds(queue)
        response.headers[ResponseHeaders.inferenceTime] = ResponseHeaders.milliseconds(inference)
        return response
    }
}
