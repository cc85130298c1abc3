import NIOCore
import NIOHTTPTypes

/// Closes a connection whose request body does not arrive in time.
///
/// Hummingbird's idle timeout (``ServerConfiguration/idleTimeout``) closes a
/// connection that sends nothing, or trickles its headers, because it only
/// counts complete request parts as activity. A body trickled a byte at a
/// time, though, is a stream of parts and would keep the connection open
/// for ever; this handler starts a deadline at each request head and closes
/// the channel unless the request's end arrives before it.
final class BodyDeadlineHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    private let timeout: TimeAmount
    private var deadline: Scheduled<Void>?

    /// Creates a handler that allows each body `timeout` to arrive.
    init(timeout: Duration) {
        self.timeout = TimeAmount(timeout)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            cancel()
            deadline = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [weak self] in
                self?.deadline = nil
                context.close(promise: nil)
            }
        case .end:
            cancel()
        case .body:
            break
        }
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancel()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancel()
    }

    private func cancel() {
        deadline?.cancel()
        deadline = nil
    }
}
