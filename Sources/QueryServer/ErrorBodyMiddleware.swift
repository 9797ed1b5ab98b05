import Hummingbird
import Logging

/// Turns every error into an answer with the JSON body `{"error": {"message": ...}}`, so clients parse one error
/// shape, and so the metrics middleware outside it times failed requests as it times the others.
///
/// - Hummingbird's 404 for a path the API has, asked with another method, becomes 405 with `Allow`.
/// - Any error that is not an HTTP error is a fault of the server: the client gets a generic 500 with the request's
///   id, and the log gets the details under the same id. Why: the details can hold SQL text, a database URL or
///   Swift type names, none of which a client should see or can act on.
struct ErrorBodyMiddleware: RouterMiddleware {
    typealias Context = ServeRequestContext

    let routes: RouteMethods

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            if error.status == .notFound, let allowed = routes.allowed(on: request.uri.path) {
                return JSONResponse.error(.methodNotAllowed, message:
                    "\(request.uri.path) answers \(list(allowed)), not \(request.method)",
                    headers: [.allow: list(allowed)])
            }
            return JSONResponse.error(error.status, message: error.body ?? error.status.reasonPhrase,
                                      headers: error.headers)
        } catch let error as any HTTPResponseError {
            return JSONResponse.error(error.status, message: error.status.reasonPhrase)
        } catch {
            let id = context.logger[metadataKey: "hb.request.id"].map { "\($0)" } ?? "unknown"
            context.logger.error("request failed", metadata: [
                "error": "\(error)", "method": "\(request.method)", "path": "\(request.uri.path)",
            ])
            return JSONResponse.error(.internalServerError, message:
                "internal server error (request id \(id)); the server's log has the details")
        }
    }

    private func list(_ methods: [HTTPRequest.Method]) -> String {
        methods.map(\.rawValue).joined(separator: ", ")
    }
}
