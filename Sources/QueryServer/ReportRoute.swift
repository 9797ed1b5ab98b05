import Foundation
import Hummingbird
import LabelStore
import Logging

/// `GET /report`: the trend page of `report --by … --html` (`TrendPage`) over the database `serve --db` reads, so a
/// person sees the mix, drift and confidence in a browser without a shell on the server. `?by=day|week|month`
/// (default `day`) and `?since=` (a date or an ISO-8601 time, UTC unless it has an offset); periods by when rows were
/// labeled. Without `--db` it answers 404 saying so.
struct ReportRoute: Sendable {
    /// Where the report is read; nil without a database.
    let database: LabelServer.Database?
    let logger: Logger
    /// The report's own connection and thread, one page at a time: its queries block (seconds over millions of rows)
    /// and must not hold Swift's cooperative threads, which every request shares (see `CacheReader`).
    private let queue = DispatchQueue(label: "querykind-report")

    init(database: LabelServer.Database?, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    func register(on router: Router<ServeRequestContext>, in routes: RouteMethods) {
        routes.route(.get, "report", on: router) { request, _ in try await page(request) }
    }

    private func page(_ request: Request) async throws -> Response {
        guard let database else {
            // Answered, not thrown: a thrown 404 on a known path reads as a wrong method to `ErrorBodyMiddleware`.
            return JSONResponse.error(.notFound, message: "the report needs a database: start serve with --db")
        }
        let trend = try trendRequest(request)
        let html: String
        do {
            html = try await withCheckedThrowingContinuation { continuation in
                queue.async {
                    continuation.resume(with: Result {
                        let store = try database.open()
                        let report = try store.trends(trend)
                        return TrendPage.html(report, details: try store.trendDetails(trend, report: report))
                    })
                }
            }
        } catch {
            // The details to the log only: they can hold SQL or a URL.
            logger.error("report request failed", metadata: ["error": "\(error)"])
            throw HTTPError(.serviceUnavailable, headers: [.retryAfter: "1"], message: "the database did not answer; retry")
        }
        return JSONResponse.bytes(Array(html.utf8), contentType: "text/html; charset=utf-8")
    }

    /// The report `?by=` and `?since=` ask for; 400 with one line on a value it cannot read.
    private func trendRequest(_ request: Request) throws -> TrendRequest {
        let query = FormQuery(request.uri.query ?? "")
        let (by, since): (String?, String?)
        do {
            (by, since) = (try query.value("by"), try query.value("since"))
        } catch {
            throw HTTPError(.badRequest, message: error.description)
        }
        guard let period = TrendPeriod(rawValue: by ?? TrendPeriod.day.rawValue) else {
            throw HTTPError(.badRequest, message: "by must be day, week or month, not \(by ?? "")")
        }
        let start = try since.map { text in
            guard let normalized = TrendTime.normalized(text) else {
                throw HTTPError(.badRequest, message: "since \(text) is not a time; write 2026-11-01 or 2026-11-01T09:00:00Z")
            }
            return normalized
        }
        return TrendRequest(by: period, since: start)
    }
}
