import Hummingbird

/// `GET /healthz`, `/readyz`, `/metrics` and `/openapi.json`: what a supervisor, a scraper and a client generator
/// ask a running server.
struct OperationsRoutes: Sendable {
    let resolver: LabelResolver
    let metrics: ServerMetrics
    let readiness: Readiness

    func register(on router: Router<ServeRequestContext>) {
        router.get("healthz") { _, _ in JSONResponse.bytes(#"{"status":"ok"}"#.utf8) }
        router.get("readyz") { _, _ in try await readiness.response() }
        router.get("metrics") { _, _ in
            JSONResponse.bytes(metrics.exposition(queue: resolver.queue, memory: resolver.memory),
                               contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
        router.get("openapi.json") { _, _ in JSONResponse.bytes(OpenAPIDocument.bytes) }
    }
}
