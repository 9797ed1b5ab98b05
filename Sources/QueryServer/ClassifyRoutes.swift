import Annotator
import Foundation
import Hummingbird
import NIOCore
import NIOHTTP1

/// `POST /v1/classify` and `GET /v1/classify`: request checks and JSON in and out, and the labeler's refusals as
/// HTTP statuses; the labels come from `CacheFirstLabeler`.
struct ClassifyRoutes: Sendable {
    let labeler: CacheFirstLabeler
    let limits: RequestLimits
    let metrics: ServerMetrics
    /// The confidence gate of requests that give none.
    let defaultMargin: UncertainMargin

    func register(on router: Router<ServeRequestContext>, in routes: RouteMethods) {
        routes.route(.post, "v1/classify", on: router) { request, context in
            try await classifyBatch(request, context: context)
        }
        routes.route(.get, "v1/classify", on: router) { request, context in
            try await classifyOne(request, context: context)
        }
    }

    private func classifyBatch(_ request: Request, context: ServeRequestContext) async throws -> Response {
        // Too large: refused from its head when it declares its length, before a byte of the body is read, and
        // the connection then closes rather than read a body nobody will use (ConnectionGuard).
        let tooLarge = HTTPError(.contentTooLarge, headers: [.connection: "close"],
                                 message: "request body is larger than \(limits.maxBodyBytes) bytes")
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limits.maxBodyBytes {
            throw tooLarge
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: limits.maxBodyBytes)
        } catch is NIOTooManyBytesError {
            throw tooLarge
        } catch is HTTPParserError {
            // The client's fault (a body cut short, bad chunking), not the server's: no 500, no error in the log.
            throw HTTPError(.badRequest, headers: [.connection: "close"],
                            message: "the request body is not valid HTTP/1.1 (cut short or badly chunked)")
        }
        let classify: ClassifyRequest
        do {
            classify = try JSONDecoder().decode(ClassifyRequest.self, from: Data(buffer: body))
        } catch {
            throw HTTPError(.badRequest, message: "expected a JSON object {\"texts\": [string, ...]}: \(describe(error))")
        }
        let texts = classify.texts
        let margin = try gate(classify.uncertain)
        guard texts.count <= limits.maxTexts else {
            throw HTTPError(.contentTooLarge, message:
                "at most \(limits.maxTexts) texts per request (got \(texts.count))")
        }
        let (records, timing) = try await label(texts, context: context)
        return timing.stamp(try JSONResponse.make(ClassifyResponse(model: labeler.modelID,
                                                                   results: margin.apply(to: records))))
    }

    private func classifyOne(_ request: Request, context: ServeRequestContext) async throws -> Response {
        let text: String?
        let uncertain: String?
        do {
            let query = FormQuery(request.uri.query ?? "")
            text = try query.value("text")
            uncertain = try query.value("uncertain")
        } catch {
            throw HTTPError(.badRequest, message: error.description)
        }
        guard let text else {
            throw HTTPError(.badRequest, message: "query parameter text is required")
        }
        let margin = try gate(try uncertain.map { value in
            guard let number = Double(value) else {
                throw HTTPError(.badRequest, message: "uncertain must be a number from 0 to 0.5, not \(value)")
            }
            return number
        })
        let (records, timing) = try await label([text], context: context)
        return timing.stamp(try JSONResponse.make(SingleClassifyResponse(model: labeler.modelID,
                                                                         record: margin.apply(to: records)[0])))
    }

    /// The request's confidence gate: `uncertain` when it gives one (400 when out of range), else the server's.
    private func gate(_ uncertain: Double?) throws -> UncertainMargin {
        guard let uncertain else { return defaultMargin }
        do {
            return try UncertainMargin(uncertain)
        } catch {
            throw HTTPError(.badRequest, message: "uncertain \(error)")
        }
    }

    /// One record per text, in order, and how long they waited for the model, turning the labeler's refusals into
    /// HTTP statuses. A wait for the model ends, and costs no inference, when the client goes away first
    /// (`ClientConnection`); the connection stays keep-alive. Any other error is the server's fault:
    /// `ErrorBodyMiddleware` logs it and answers a generic 500.
    private func label(_ texts: [String], context: ServeRequestContext) async throws
        -> ([PredictionRecord], ModelTiming) {
        let outcomes: LabelOutcomes
        var timing = ModelTiming()
        do {
            outcomes = try await labeler.label(texts.map { .text($0) }) { wait in
                let queued = ContinuousClock.now
                let answers = try await context.clientConnection().cancellingWhenGone(wait)
                timing = ModelTiming(queued: queued, answers: answers)
                return answers
            }
        } catch is DatabaseUnavailable {
            throw HTTPError(.serviceUnavailable, headers: [.retryAfter: "1"], message:
                "the database's label cache cannot be read now (a lock past --busy-timeout, or the database is "
                + "unavailable: /readyz says more); retry later")
        } catch let full as InferenceQueue.QueueFull {
            throw HTTPError(.tooManyRequests, headers: [.retryAfter: "1"],
                            message: "the inference queue is full (\(full.capacity) texts or \(full.tokenCapacity) "
                                + "tokens waiting); retry later")
        } catch let work as InferenceQueue.TooMuchWork {
            throw HTTPError(.contentTooLarge,
                            message: "these texts need \(work.tokens) tokens of model work, more than the server queues "
                                + "at once (\(work.tokenCapacity)); send fewer or shorter texts per request")
        } catch is InferenceQueue.Closed {
            throw HTTPError(.serviceUnavailable, message: "the server is shutting down")
        } catch is CancellationError {
            throw HTTPError(.init(code: 499, reasonPhrase: "Client Closed Request"),
                            message: "the client closed the connection")
        }
        metrics.record(outcomes)
        return (outcomes.records(texts: texts, cached: .everyRecord), timing)
    }

    /// A decoding error in one line a client can act on, in JSON's words (never Swift's type names).
    private func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.typeMismatch(let type, let context): "\(path(context)) must be \(jsonKind(of: type))"
        case DecodingError.valueNotFound(_, let context): "\(path(context)) must not be null"
        case DecodingError.keyNotFound(let key, _): "missing \"\(key.stringValue)\""
        case DecodingError.dataCorrupted: "the body is not valid JSON"
        default: "the body does not have that shape"
        }
    }

    /// What the JSON at a mismatch should have been; `ClassifyRequest` holds only an object, an array, strings and
    /// a number.
    private func jsonKind(of type: Any.Type) -> String {
        if type == String.self { return "a string" }
        if type == Double.self { return "a number" }
        if type is [Any].Type { return "an array of strings" }
        return "an object"
    }

    private func path(_ context: DecodingError.Context) -> String {
        let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return path.isEmpty ? "the body" : String(path.dropFirst(path.hasPrefix(".") ? 1 : 0))
    }
}
