import Hummingbird

/// Gives every error response a JSON body `{"error": {"message": ...}}`, including Hummingbird's own 404 and 405,
/// which have none, so clients parse one error shape.
struct ErrorBodyMiddleware: RouterMiddleware {
    typealias Context = ServeRequestContext

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch var error as HTTPError where error.body == nil {
            error.body = error.status.reasonPhrase
            throw error
        }
    }
}
