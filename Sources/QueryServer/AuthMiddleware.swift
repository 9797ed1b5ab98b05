import Hummingbird

/// Answers 401 (with `WWW-Authenticate: Bearer` and the API's JSON error body) to any request without
/// `Authorization: Bearer <key>` for one of the server's keys, except on the open paths.
///
/// Why deny by default: a route added later (a review page, a report) is protected without anyone remembering to.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = ServeRequestContext

    let keys: APIKeys
    let openPaths: Set<String>

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        if openPaths.contains(request.uri.path) { return try await next(request, context) }
        guard let presented = bearerToken(request.headers[.authorization]) else {
            throw refusal("this server needs an API key: send Authorization: Bearer <key>")
        }
        guard keys.accepts(presented.utf8) else {
            throw refusal("the API key is not valid; send one of the server's keys as Authorization: Bearer <key>")
        }
        return try await next(request, context)
    }

    /// The token of `Bearer <token>` (the scheme is case-insensitive), nil for no header or another scheme.
    private func bearerToken(_ header: String?) -> Substring? {
        guard let header, header.count > 7, header.prefix(7).lowercased() == "bearer " else { return nil }
        return header.dropFirst(7).drop { $0 == " " }
    }

    private func refusal(_ message: String) -> HTTPError {
        HTTPError(.unauthorized, headers: [.wwwAuthenticate: "Bearer"], message: message)
    }
}
