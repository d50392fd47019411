import NIOCore
import NIOSSL

/// Collects the server's replies on the channel and hands them out one at a time, so the dialogue
/// can be written as "send a command, await its reply".
///
/// Lives on the channel's event loop; ``SMTPConnection`` reaches it only through that loop.
final class SMTPReplyHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let eventLoop: any EventLoop
    private var parser = SMTPReplyParser()
    private var replies: [SMTPReply] = []
    private var waiting: (promise: EventLoopPromise<SMTPReply>, timeout: Scheduled<Void>)?
    /// Set once the connection is of no more use; later requests fail with it at once.
    private(set) var failure: SMTPConnectionError?

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    /// True when the server sent bytes nobody asked for yet. Right after the reply to STARTTLS
    /// that must not be: such bytes came in clear text and could be injected by a man in the middle
    /// (the attack behind CVE-2011-0411), so they must never be read as if they came through TLS.
    var hasUnreadInput: Bool { !parser.isIdle || !replies.isEmpty }

    /// The next reply, or a failure if none arrives within `timeout` or the connection ends.
    func nextReply(timeout: TimeAmount) -> EventLoopFuture<SMTPReply> {
        if !replies.isEmpty { return eventLoop.makeSucceededFuture(replies.removeFirst()) }
        if let failure { return eventLoop.makeFailedFuture(failure) }
        guard waiting == nil else {
            return eventLoop.makeFailedFuture(SMTPConnectionError.protocolViolation("two replies were awaited at once"))
        }
        let promise = eventLoop.makePromise(of: SMTPReply.self)
        let timeoutTask = eventLoop.assumeIsolated().scheduleTask(in: timeout) { [self] in
            fail(.timedOut)
        }
        waiting = (promise, timeoutTask)
        return promise.futureResult
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard failure == nil else { return }
        let buffer = unwrapInboundIn(data)
        do {
            replies += try parser.parse(buffer.readableBytesView)
        } catch {
            fail(.protocolViolation(error.description))
            context.close(promise: nil)
            return
        }
        if let waiting, !replies.isEmpty {
            self.waiting = nil
            waiting.timeout.cancel()
            waiting.promise.succeed(replies.removeFirst())
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(.closed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        switch error {
        case let error as NIOSSLError: fail(.tls(String(describing: error)))
        case let error as NIOSSLExtraError: fail(.tls(String(describing: error)))
        case let error as BoringSSLError: fail(.tls(String(describing: error)))
        default: fail(.network(String(describing: error)))
        }
        context.close(promise: nil)
    }

    private func fail(_ error: SMTPConnectionError) {
        if failure == nil { failure = error }
        if let waiting {
            self.waiting = nil
            waiting.timeout.cancel()
            waiting.promise.fail(failure ?? error)
        }
    }
}
