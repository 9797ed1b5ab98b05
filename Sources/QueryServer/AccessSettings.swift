/// Who may use a running server: the API keys every request but the open probes must present, and the browser
/// origins allowed to call it (CORS).
public struct AccessSettings: Sendable {
    /// Keys accepted as `Authorization: Bearer <key>`; nil serves everyone (loopback, or `--allow-unauthenticated`).
    public var apiKeys: APIKeys?
    /// Also require a key for `/metrics` (`/healthz` and `/readyz` stay open for probes that hold no secret).
    public var protectsMetrics: Bool
    /// Origins (`https://app.example`) whose browser pages may call the API, or `*` for any; empty answers no
    /// CORS request.
    public var corsAllowOrigins: [String]

    public init(apiKeys: APIKeys? = nil, protectsMetrics: Bool = false, corsAllowOrigins: [String] = []) {
        self.apiKeys = apiKeys
        self.protectsMetrics = protectsMetrics
        self.corsAllowOrigins = corsAllowOrigins
    }

    /// The paths answered without a key: what a supervisor's probes and (unless protected) a scraper ask, and the
    /// review page, which holds no data (a browser cannot send a key when it opens a page; the page's own requests
    /// carry one).
    var openPaths: Set<String> {
        protectsMetrics ? ["/healthz", "/readyz", "/review"] : ["/healthz", "/readyz", "/metrics", "/review"]
    }

    /// Whether `host` is a loopback address, the only kind `serve` binds without a key unless told to.
    public static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }
}
