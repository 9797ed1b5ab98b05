import Annotator
import Foundation
import Hummingbird
import Logging
import NIOCore

/// `POST /v1/classify` and `GET /v1/classify`: request checks and JSON in and out; the labels come from
/// `LabelResolver`.
struct ClassifyRoutes: Sendable {
    let resolver: LabelResolver
    let limits: RequestLimits
    let logger: Logger

    func register(on router: Router<ServeRequestContext>) {
        router.post("v1/classify") { request, context in try await classifyBatch(request, context: context) }
        router.get("v1/classify") { request, context in try await classifyOne(request, context: context) }
    }

    private func classifyBatch(_ request: Request, context: ServeRequestContext) async throws -> Response {
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: limits.maxBodyBytes)
        } catch is NIOTooManyBytesError {
            throw HTTPError(.contentTooLarge, message: "request body is larger than \(limits.maxBodyBytes) bytes")
        }
        let texts: [String]
        do {
            texts = try JSONDecoder().decode(ClassifyRequest.self, from: Data(buffer: body)).texts
        } catch {
            throw HTTPError(.badRequest, message: "expected a JSON object {\"texts\": [string, ...]}: \(describe(error))")
        }
        guard texts.count <= limits.maxTexts else {
            throw HTTPError(.contentTooLarge, message:
                "at most \(limits.maxTexts) texts per request (got \(texts.count))")
        }
        let records = try await label(texts, context: context)
        return try JSONResponse.make(ClassifyResponse(model: resolver.classifier.modelID, results: records))
    }

    private func classifyOne(_ request: Request, context: ServeRequestContext) async throws -> Response {
        guard let text = request.uri.queryParameters["text"] else {
            throw HTTPError(.badRequest, message: "query parameter text is required")
        }
        let records = try await label([String(text)], context: context)
        return try JSONResponse.make(SingleClassifyResponse(model: resolver.classifier.modelID, record: records[0]))
    }

    /// Labels `texts`, turning the queue's refusals into HTTP statuses. A wait for the model ends, and costs no
    /// inference, when the client goes away first (`ClientConnection`); the connection stays keep-alive.
    private func label(_ texts: [String], context: ServeRequestContext) async throws -> [PredictionRecord] {
        do {
            return try await resolver.records(for: texts) { wait in
                try await context.clientConnection().cancellingWhenGone(wait)
            }
        } catch let full as InferenceQueue.QueueFull {
            throw HTTPError(.tooManyRequests, headers: [.retryAfter: "1"],
                            message: "the inference queue is full (\(full.capacity) texts waiting); retry later")
        } catch is InferenceQueue.Closed {
            throw HTTPError(.serviceUnavailable, message: "the server is shutting down")
        } catch is CancellationError {
            throw HTTPError(.init(code: 499, reasonPhrase: "Client Closed Request"),
                            message: "the client closed the connection")
        } catch let error as HTTPError {
            throw error
        } catch {
            logger.error("classify failed", metadata: ["error": "\(error)"])
            throw HTTPError(.internalServerError, message: "\(error)")
        }
    }

    /// A decoding error in one line a client can act on.
    private func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.typeMismatch(let type, let context):
            "\(path(context)) must be \(type == String.self ? "a string" : "\(type)")"
        case DecodingError.valueNotFound(_, let context): "\(path(context)) must not be null"
        case DecodingError.keyNotFound(let key, _): "missing \"\(key.stringValue)\""
        case DecodingError.dataCorrupted: "the body is not valid JSON"
        default: "\(error)"
        }
    }

    private func path(_ context: DecodingError.Context) -> String {
        let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return path.isEmpty ? "the body" : String(path.dropFirst(path.hasPrefix(".") ? 1 : 0))
    }
}
