import Annotator
import Foundation
import Hummingbird
import LabelStore
import Logging

/// `GET /v1/reviews/queue`, `POST /v1/reviews` and `GET /v1/reviews?text=`: people's reviews over HTTP
/// (docs/review.md), for the `/review` page and any client. Without `--db` each answers 404 saying so.
struct ReviewRoutes: Sendable {
    let labeler: CacheFirstLabeler
    /// Where reviews are read and recorded; nil without a database.
    let counter: ReviewCounter?
    let maxBodyBytes: Int
    let logger: Logger

    func register(on router: Router<ServeRequestContext>, in routes: RouteMethods) {
        routes.route(.get, "v1/reviews/queue", on: router) { request, _ in
            try await withDatabase { try await queue(request, $0) }
        }
        routes.route(.post, "v1/reviews", on: router) { request, _ in
            try await withDatabase { try await record(request, $0) }
        }
        routes.route(.get, "v1/reviews", on: router) { request, _ in
            try await withDatabase { try await history(request, $0) }
        }
    }

    /// `{"model", "items": [...]}`: up to `limit` (default 20, at most 1000) texts in the queue's order.
    private func queue(_ request: Request, _ counter: ReviewCounter) async throws -> Response {
        let limit = try parameter("limit", in: request).map { value in
            guard let limit = Int(value), (1...1000).contains(limit) else {
                throw HTTPError(.badRequest, message: "limit must be a whole number from 1 to 1000, not \(value)")
            }
            return limit
        } ?? 20
        let model = labeler.modelID
        let items = try await answering { try await counter.run { try $0.store.reviewQueue(model: model, limit: limit) } }
        return try JSONResponse.make(QueueResponse(model: model, items: items))
    }

    /// Records `{"text", "kind", "reviewer", "note"?}` and answers 201 with the stored review.
    private func record(_ request: Request, _ counter: ReviewCounter) async throws -> Response {
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: maxBodyBytes)
        } catch {
            throw HTTPError(.contentTooLarge, headers: [.connection: "close"],
                            message: "request body is larger than \(maxBodyBytes) bytes")
        }
        guard let submission = try? JSONDecoder().decode(ReviewRequest.self, from: Data(buffer: body)) else {
            throw HTTPError(.badRequest, message: "expected a JSON object {\"text\": string, \"kind\": \"keyword\", "
                            + "\"question\" or \"statement\", \"reviewer\": string, \"note\": optional string}")
        }
        let review = try await answering {
            try await counter.run { desk in
                try desk.record(text: submission.text, kind: submission.kind, reviewer: submission.reviewer,
                                note: submission.note)
            }
        }
        labeler.reviewsChanged()
        var response = try JSONResponse.make(review)
        response.status = .created
        return response
    }

    /// `{"normalized_text", "reviews": [...]}`: every review of the text's key, oldest first (the last counts).
    private func history(_ request: Request, _ counter: ReviewCounter) async throws -> Response {
        guard let text = try parameter("text", in: request) else {
            throw HTTPError(.badRequest, message: "query parameter text is required")
        }
        let answer = try await answering {
            try await counter.run { desk in
                let key = try desk.key(text)
                return HistoryResponse(key: key, reviews: try desk.store.reviews(key: key))
            }
        }
        return try JSONResponse.make(answer)
    }

    /// `body`'s answer with the database's counter; without a database, 404 saying so (answered, not thrown: a
    /// thrown 404 on a known path reads as a wrong method to `ErrorBodyMiddleware`).
    private func withDatabase(_ body: (ReviewCounter) async throws -> Response) async throws -> Response {
        guard let counter else {
            return JSONResponse.error(.notFound, message: "reviews need a database: start serve with --db")
        }
        return try await body(counter)
    }

    private func parameter(_ name: String, in request: Request) throws -> String? {
        do {
            return try FormQuery(request.uri.query ?? "").value(name)
        } catch {
            throw HTTPError(.badRequest, message: error.description)
        }
    }

    /// `body`'s answer, with a bad review as 400 (its one line) and a database failure as 503 (the details to the
    /// log only: they can hold SQL or a URL).
    private func answering<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as ReviewError {
            throw HTTPError(.badRequest, message: error.description)
        } catch {
            logger.error("review request failed", metadata: ["error": "\(error)"])
            throw HTTPError(.serviceUnavailable, headers: [.retryAfter: "1"],
                            message: "the database did not answer; retry")
        }
    }

    private struct ReviewRequest: Decodable {
        var text: String
        var kind: String
        var reviewer: String
        var note: String?
    }

    private struct QueueResponse: Encodable, Sendable {
        var model: String
        var items: [ReviewQueueItem]
    }

    private struct HistoryResponse: Encodable, Sendable {
        var key: String
        var reviews: [Review]

        enum CodingKeys: String, CodingKey { case key = "normalized_text", reviews }
    }
}
