import Foundation
import Hummingbird

/// The headers querykind adds to answers, as text-embeddings-inference does: every answer names the model
/// (`x-querykind-model`), and a classify answer says how long its texts waited for the model and how long the
/// model took (`x-queue-time`, `x-inference-time`, in milliseconds; both 0 when every text came from a cache).
enum ResponseHeaders {
    /// `HTTPField.Name`, reached through the type Hummingbird exports.
    typealias Name = HTTPFields.Element.Name

    static let model = Name("x-querykind-model")!
    static let queueTime = Name("x-queue-time")!
    static let inferenceTime = Name("x-inference-time")!

    /// What a browser page may read (CORS `Access-Control-Expose-Headers`).
    static let exposed = [model, queueTime, inferenceTime].map(\.canonicalName)

    /// Milliseconds, with three decimals (a memory hit takes microseconds).
    static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return String(format: "%.3f", Double(seconds) * 1000 + Double(attoseconds) / 1e15)
    }
}

/// Adds `x-querykind-model` to every answer, errors included.
struct ModelHeaderMiddleware: RouterMiddleware {
    typealias Context = ServeRequestContext

    let modelID: String

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[ResponseHeaders.model] = modelID
        return response
    }
}
