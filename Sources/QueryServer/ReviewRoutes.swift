import Annotator
import Foundation
import Hummingbird
import LabelStore
import Logging

/// `GET /v1/reviews/queue`, `POST /v1/reviews`, `GET /v1/reviews?text=` and `GET /v1/reviews/summary`: people's
/// reviews over HTTP (docs/review.md), for the `GET /review` page (`ReviewPage`) and any client. Without `--db` each,
/// the page included, answers 404 saying so.
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
        routes.route(.get, "v1/reviews/summary", on: router) { _, _ in
            try await withDatabase { try await summary($0) }
        }
        routes.route(.get, "review", on: router) { _, _ in
            try await withDatabase { _ in
                var response = JSONResponse.bytes(Array(ReviewPage.html.utf8), contentType: "text/html; charset=utf-8")
                response.headers[.contentSecurityPolicy] = ReviewPage.contentSecurityPolicy
                return response
            }
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

    /// `{"model", "reviewed_today", "reviews", "kind_accuracy"}`: the reviews recorded since midnight UTC, and the
    /// serving model's accuracy on the reviewed texts it labeled, as `eval --db` scores it (`reviewAccuracy`).
    private func summary(_ counter: ReviewCounter) async throws -> Response {
        let model = labeler.modelID
        let answer = try await answering {
            try await counter.run { desk in
                let today = String(Timestamp.text().prefix(10))
                let scored = try desk.store.reviewAccuracy().models.first { $0.model == model }
                return SummaryResponse(model: model,
                                       reviewedToday: try desk.store.allReviews().count { $0.reviewedAt.hasPrefix(today) },
                                       reviews: scored?.reviews ?? 0, kindAccuracy: scored?.kindAccuracy)
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

    private struct SummaryResponse: Encodable, Sendable {
        var model: String
        var reviewedToday: Int
        var reviews: Int
        var kindAccuracy: Double?

        enum CodingKeys: String, CodingKey {
            case model, reviewedToday = "reviewed_today", reviews, kindAccuracy = "kind_accuracy"
        }

        /// `kind_accuracy` is null, not absent, before any review of the model's texts.
        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(model, forKey: .model)
            try container.encode(reviewedToday, forKey: .reviewedToday)
            try container.encode(reviews, forKey: .reviews)
            try container.encode(kindAccuracy, forKey: .kindAccuracy)
        }
    }

    private struct HistoryResponse: Encodable, Sendable {
        var key: String
        var reviews: [Review]

        enum CodingKeys: String, CodingKey { case key = "normalized_text", reviews }
    }
}
