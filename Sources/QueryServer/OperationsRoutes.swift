import Annotator
import Hummingbird

/// `GET /healthz`, `/readyz`, `/metrics` and `/openapi.json`: what a supervisor, a scraper and a client generator
/// ask a running server.
struct OperationsRoutes: Sendable {
    let labeler: CacheFirstLabeler
    let metrics: ServerMetrics
    let readiness: Readiness

    func register(on router: Router<ServeRequestContext>, in routes: RouteMethods) {
        routes.route(.get, "healthz", on: router) { _, _ in JSONResponse.bytes(#"{"status":"ok"}"#.utf8) }
        routes.route(.get, "readyz", on: router) { _, _ in try await readiness.response() }
        routes.route(.get, "metrics", on: router) { _, _ in
            JSONResponse.bytes(metrics.exposition(queue: labeler.queue, memory: labeler.memory),
                               contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
        routes.route(.get, "openapi.json", on: router) { _, _ in JSONResponse.bytes(OpenAPIDocument.bytes) }
    }
}
