import NIOCore
import NIOHTTP1

/// One per connection, right after the HTTP/1 decoder: enforces the connection's `ConnectionLimits` and HTTP/1's
/// connection rules, which Hummingbird's request loop leaves to its channel.
///
/// - A connection over the connection cap is answered 503 and closed before any request is read.
/// - A request's head must arrive within the header timeout of its first byte (`RequestStartWatcher` says when).
/// - After SIGTERM (Hummingbird's quiesce event) the connection gets the shutdown timeout, then is closed.
/// - HTTP/1.0 is answered as HTTP/1.0: closed after the answer unless the client asked for keep-alive, and then
///   the answer says `Connection: keep-alive`. A request (of any version) that asks to close is closed after its
///   answer, and so is any answer that says `Connection: close` (a 413 sent before the body was read).
/// - A request the decoder cannot parse gets the API's JSON error body instead of an empty 400.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let limits: ConnectionLimits
    private let admitted: Bool
    private var context: ChannelHandlerContext?
    /// The HTTP version and keep-alive wish of each request whose head has arrived and whose answer has not ended,
    /// oldest first (HTTP/1.1 clients may pipeline).
    private var unanswered: [(version: HTTPVersion, keepAlive: Bool)] = []
    /// Between a request's head and its end.
    private var isReadingRequest = false
    /// Heads decoded so far, so `RequestStartWatcher` can tell whether a read held one.
    private(set) var headCount = 0
    private var closesAfterAnswer = false
    private var headerDeadline: Scheduled<Void>?
    private var shutdownDeadline: Scheduled<Void>?

    init(limits: ConnectionLimits, admitted: Bool) {
        self.limits = limits
        self.admitted = admitted
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        headerDeadline?.cancel()
        shutdownDeadline?.cancel()
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        if !admitted {
            answer(.serviceUnavailable, "the server has \(limits.maxConnections) open connections, its limit; "
                   + "retry later", extraHeaders: [("Retry-After", "1")], context: context)
        }
        context.fireChannelActive()
    }

    /// Called by `RequestStartWatcher` once the decoder has seen newly arrived bytes that held no whole head: if
    /// they began a request, its head is now due. (Bytes that held a head need no timer; pipelined bytes after it
    /// are bounded by the idle timeout.)
    func bytesArrivedWithoutHead() {
        guard let context, admitted, !isReadingRequest, headerDeadline == nil else { return }
        let channel = context.channel
        headerDeadline = context.eventLoop.scheduleTask(in: TimeAmount(limits.headerTimeout)) {
            channel.close(promise: nil)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // A refused connection's requests are never answered: it is closing.
        guard admitted else { return }
        switch unwrapInboundIn(data) {
        case .head(var head):
            headerDeadline?.cancel()
            headerDeadline = nil
            isReadingRequest = true
            headCount += 1
            unanswered.append((head.version, head.isKeepAlive))
            // Hummingbird's request loop ends after an answer only for exactly `Connection: close`.
            if !head.isKeepAlive { head.headers.replaceOrAdd(name: "Connection", value: "close") }
            context.fireChannelRead(wrapInboundOut(.head(head)))
        case .body:
            context.fireChannelRead(data)
        case .end:
            isReadingRequest = false
            context.fireChannelRead(data)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var head) where head.status.code >= 200:
            if let request = unanswered.first {
                if request.version == .http1_0 {
                    head.version = .http1_0
                    if request.keepAlive { head.headers.replaceOrAdd(name: "Connection", value: "keep-alive") }
                }
                if !request.keepAlive { head.headers.replaceOrAdd(name: "Connection", value: "close") }
            }
            if !head.isKeepAlive { closesAfterAnswer = true }
            context.write(wrapOutboundOut(.head(head)), promise: promise)
        case .end:
            if !unanswered.isEmpty { unanswered.removeFirst() }
            if closesAfterAnswer {
                writeThenClose(data, promise: promise, context: context)
            } else {
                context.write(data, promise: promise)
            }
        default:
            context.write(data, promise: promise)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // With an answer still to write, the error goes on to Hummingbird, which closes the connection.
        guard error is HTTPParserError, unanswered.isEmpty, admitted, !closesAfterAnswer else {
            context.fireErrorCaught(error)
            return
        }
        if case .headerOverflow = error as? HTTPParserError {
            answer(.requestHeaderFieldsTooLarge, "the request head is larger than the server accepts",
                   context: context)
        } else {
            answer(.badRequest, "the request is not valid HTTP/1.1", context: context)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent, shutdownDeadline == nil {
            let channel = context.channel
            shutdownDeadline = context.eventLoop.scheduleTask(in: TimeAmount(limits.shutdownTimeout)) {
                channel.close(promise: nil)
            }
        }
        context.fireUserInboundEventTriggered(event)
    }

    /// Writes a whole JSON error answer from here (no request reached the router) and closes the connection.
    private func answer(_ status: HTTPResponseStatus, _ message: String, extraHeaders: [(String, String)] = [],
                        context: ChannelHandlerContext) {
        closesAfterAnswer = true
        let body = JSONResponse.errorBody(message)
        var headers = HTTPHeaders([("Content-Type", "application/json"), ("Content-Length", "\(body.count)"),
                                   ("Connection", "close")])
        headers.add(contentsOf: extraHeaders)
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))),
                      promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
        writeThenClose(wrapOutboundOut(.end(nil)), promise: nil, context: context)
    }

    /// Closes once `data` is written: closing at once would drop what the socket has not taken yet. Only the
    /// sending side closes first, and the rest a moment later, so a client still sending (a body after a 413, a
    /// request to a refused connection) reads the answer instead of a reset.
    private func writeThenClose(_ data: NIOAny, promise: EventLoopPromise<Void>?, context: ChannelHandlerContext) {
        let written = promise ?? context.eventLoop.makePromise()
        let channel = context.channel
        written.futureResult.whenComplete { _ in
            channel.close(mode: .output, promise: nil)
            channel.eventLoop.scheduleTask(in: .seconds(2)) { channel.close(promise: nil) }
        }
        context.writeAndFlush(data, promise: written)
    }
}

/// First in a connection's pipeline, where the raw bytes pass: tells its `ConnectionGuard` when a read brought bytes
/// but no whole head (the HTTP decoder says nothing until a whole head has arrived).
final class RequestStartWatcher: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let guardian: ConnectionGuard

    init(guardian: ConnectionGuard) {
        self.guardian = guardian
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let heads = guardian.headCount
        context.fireChannelRead(data)
        if guardian.headCount == heads { guardian.bytesArrivedWithoutHead() }
    }
}
