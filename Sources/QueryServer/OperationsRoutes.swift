import Hummingbird

/// `GET /healthz`, `/readyz`, `/metrics` and `/openapi.json`: what a supervisor, a scraper and a client generator
/// ask a running server.
struct OperationsRoutes: Sendable {
    let resolver: LabelResolver
    let metrics: ServerMetrics
    /// Whether the database answers (always true without one).
    let databaseIsReachable: @Sendable () async -> Bool

    func register(on router: Router<ServeRequestContext>) {
        router.get("healthz") { _, _ in JSONResponse.bytes(#"{"status":"ok"}"#.utf8) }
        router.get("readyz") { _, _ in
            await databaseIsReachable()
                ? JSONResponse.bytes(#"{"status":"ready"}"#.utf8)
                : JSONResponse.bytes(#"{"status":"unavailable","error":"the database does not answer"}"#.utf8,
                                     status: .serviceUnavailable)
        }
        router.get("metrics") { _, _ in
            JSONResponse.bytes(metrics.exposition(queue: resolver.queue, memory: resolver.memory),
                               contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
        router.get("openapi.json") { _, _ in JSONResponse.bytes(OpenAPIDocument.bytes) }
    }
}
