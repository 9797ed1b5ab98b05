import Foundation
import Hummingbird
import NIOCore

/// Whether a client's connection can still take an answer, so a request that waits for the model can give up (and
/// cost no inference) when its client goes away, while the connection stays keep-alive.
///
/// Why not Hummingbird's `RequestBody.consumeWithCancellationOnInboundClose`: it watches for the close by reading
/// the connection's inbound stream, and when the request ends it cancels that read, which ends the stream, so every
/// connection it was used on closes after its answer (and a pipelined next request would be read by the watcher and
/// lost). Under keep-alive load that made every miss pay a new TCP connection. Here a channel handler
/// (`ClientCloseWatcher`, added through `HTTP1Channel.Configuration.additionalChannelHandlers`) sees the same event
/// without taking anything from the stream, and Hummingbird serves the connection's next request as usual.
///
/// "Gone" means what it means to Hummingbird's helper: the client closed its side (`inputClosed`; Hummingbird lets
/// clients half-close) or the connection closed.
final class ClientConnection: @unchecked Sendable {
    private let lock = NSLock()
    // Guarded by `lock`:
    private var isGone = false
    private var onGone: [Int: @Sendable () -> Void] = [:]
    private var nextID = 0

    /// The value of `operation`, run in a task of its own that is cancelled when the client goes away (or the
    /// calling task is cancelled). Throws `CancellationError` without starting it when the client is already gone.
    func cancellingWhenGone<Value: Sendable>(
        _ operation: @escaping @Sendable () async throws -> Value
    ) async throws -> Value {
        let (task, id): (Task<Value, any Error>, Int) = try lock.withLock {
            guard !isGone else { throw CancellationError() }
            let task = Task { try await operation() }
            nextID += 1
            onGone[nextID] = { task.cancel() }
            return (task, nextID)
        }
        defer { lock.withLock { onGone[id] = nil } }
        return try await withTaskCancellationHandler { try await task.value } onCancel: { task.cancel() }
    }

    /// Called on the connection's event loop when the client closes its side or the connection closes.
    fileprivate func markGone() {
        let handlers: [@Sendable () -> Void] = lock.withLock {
            isGone = true
            defer { onGone.removeAll() }
            return Array(onGone.values)
        }
        for handler in handlers { handler() }
    }
}

/// One per connection, between Hummingbird's HTTP decoder and its request loop: passes everything on and tells its
/// `ClientConnection` when the client goes away. Sendable (its one property is) so a route can fetch it with
/// `channel.pipeline.handler(type:)`.
final class ClientCloseWatcher: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    typealias InboundIn = NIOAny

    let connection = ClientConnection()

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .inputClosed? = event as? ChannelEvent { connection.markGone() }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        connection.markGone()
        context.fireChannelInactive()
    }
}

/// The request context of `serve`'s routes: Hummingbird's basic one plus the connection's channel, through which a
/// route that waits for the model finds the connection's `ClientConnection`.
struct ServeRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    /// This request's connection (an event-loop hop, so routes ask only when they are about to wait).
    func clientConnection() async throws -> ClientConnection {
        try await channel.pipeline.handler(type: ClientCloseWatcher.self).get().connection
    }
}
