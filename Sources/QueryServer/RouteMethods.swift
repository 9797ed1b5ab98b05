import Foundation
import Hummingbird

/// The methods each path of the API answers, recorded as its routes are registered (`route(_:_:on:use:)`), so a
/// known path asked with another method gets 405 with `Allow` (`ErrorBodyMiddleware`) instead of Hummingbird's 404.
final class RouteMethods: @unchecked Sendable {
    private let lock = NSLock()
    // Guarded by `lock`; filled before the server starts, read while it serves.
    private var methods: [String: [HTTPRequest.Method]] = [:]

    /// Registers `handler` for `method` on `path` and records it; a GET also answers HEAD (the router's
    /// `autoGenerateHeadEndpoints`).
    func route(_ method: HTTPRequest.Method, _ path: String, on router: Router<ServeRequestContext>,
               use handler: @escaping @Sendable (Request, ServeRequestContext) async throws -> Response) {
        router.on(RouterPath(path), method: method, use: handler)
        lock.withLock {
            methods["/" + path, default: []].append(contentsOf: method == .get ? [.get, .head] : [method])
        }
    }

    /// The methods `path` answers, or nil for a path the API does not have.
    func allowed(on path: String) -> [HTTPRequest.Method]? {
        lock.withLock { methods[path] }
    }
}
