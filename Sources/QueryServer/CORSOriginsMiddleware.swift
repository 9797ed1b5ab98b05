import Hummingbird

/// CORS for the origins `--cors-allow-origin` names (or `*` for any): Hummingbird's `CORSMiddleware` answers the
/// preflight (`OPTIONS` with `Origin`) and adds the headers, for the listed origins only.
///
/// Why a wrapper: Hummingbird takes a list of origins only as variadic arguments, and it sends
/// `Access-Control-Expose-Headers` only with the preflight, where browsers ignore it (they read it on the answer
/// itself). A request from another origin passes through untouched, so its browser refuses to read the answer. Outside the key check, so a preflight
/// (which browsers send without credentials) is answered, and so a 401 carries the headers its page needs to read it.
struct CORSOriginsMiddleware: RouterMiddleware {
    typealias Context = ServeRequestContext

    private let origins: Set<String>
    private let cors: CORSMiddleware<Context>

    init(origins: [String]) {
        self.origins = Set(origins)
        cors = CORSMiddleware(
            allowOrigin: origins.contains("*") ? .all : .originBased,
            allowHeaders: [.accept, .authorization, .contentType, .origin],
            allowMethods: [.get, .post, .head, .options],
            maxAge: .seconds(600))
    }

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        guard origins.contains("*") || request.headers[.origin].map(origins.contains) == true else {
            return try await next(request, context)
        }
        var response = try await cors.handle(request, context: context, next: next)
        if request.method != .options {
            response.headers[.accessControlExposeHeaders] = ResponseHeaders.exposed.joined(separator: ", ")
        }
        return response
    }
}
