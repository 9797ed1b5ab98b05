import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1

/// `serve`'s connections: Hummingbird's HTTP/1.1 channel with `ConnectionLimits` enforced on each connection.
///
/// Why a channel of our own: the limits need two places in the pipeline Hummingbird's configuration does not
/// reach: the raw bytes before the HTTP decoder (a request's first byte starts its header timeout) and the decoded
/// HTTP/1 head, which still has the request's HTTP version (Hummingbird's request type drops it, so HTTP/1.0 answers
/// could not follow HTTP/1.0's keep-alive rules). The idle timeout is Hummingbird's own.
struct ServeChannel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    private let http1: HTTP1Channel
    private let limits: ConnectionLimits
    private let connections: OpenConnections

    init(responder: @escaping HTTPChannelHandler.Responder, limits: ConnectionLimits) {
        http1 = HTTP1Channel(responder: responder, configuration: .init(
            // One `ClientCloseWatcher` per connection: misses give up when their client goes away (ClientConnection).
            additionalChannelHandlers: [ClientCloseWatcher()],
            idleTimeout: TimeAmount(limits.idleTimeout)))
        self.limits = limits
        connections = OpenConnections(limit: limits.maxConnections)
    }

    /// The server `Application` runs: HTTP/1.1 over these channels.
    static func server(limits: ConnectionLimits) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in ServeChannel(responder: responder, limits: limits) }
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let admitted = connections.admit(channel)
        return http1.setup(channel: channel, logger: logger).flatMapThrowing { [limits] value in
            let pipeline = channel.pipeline.syncOperations
            let decoder = try pipeline.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            let guardian = ConnectionGuard(limits: limits, admitted: admitted)
            try pipeline.addHandler(guardian, position: .after(decoder))
            try pipeline.addHandler(RequestStartWatcher(guardian: guardian), position: .first)
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await http1.handle(value: value, logger: logger)
    }
}

/// The count of open connections against `ConnectionLimits.maxConnections`.
///
/// Why accept and refuse rather than stop accepting (Hummingbird's `MaximumAvailableConnections`): a server that
/// stops accepting leaves new clients hanging in the kernel's backlog with no answer; refused with 503 they learn
/// at once and retry, and the accept loop never meets the open-file limit.
final class OpenConnections: @unchecked Sendable {
    private let limit: Int
    private let lock = NSLock()
    // Guarded by `lock`:
    private var count = 0

    init(limit: Int) { self.limit = limit }

    /// Whether `channel` fits under the limit; an admitted channel counts until it closes.
    func admit(_ channel: any Channel) -> Bool {
        let admitted = lock.withLock {
            guard count < limit else { return false }
            count += 1
            return true
        }
        if admitted {
            channel.closeFuture.whenComplete { [self] _ in lock.withLock { count -= 1 } }
        }
        return admitted
    }
}
