import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// Why an SMTP connection stopped being usable, before any step gives it meaning.
enum SMTPConnectionError: Error, Equatable {
    case timedOut
    case closed
    case tls(String)
    case network(String)
    case protocolViolation(String)
}

/// One TCP connection to an SMTP server: send a line, await the reply, upgrade to TLS.
///
/// Every failure comes out as a ``MailDeliveryError`` that names the step it happened in, so the
/// dialogue in ``SMTPMailTransport`` need not translate network errors itself.
struct SMTPConnection: Sendable {
    let channel: any Channel
    let host: String
    let replyTimeout: TimeAmount
    private let handler: NIOLoopBound<SMTPReplyHandler>

    private init(channel: any Channel, host: String, replyTimeout: TimeAmount, handler: NIOLoopBound<SMTPReplyHandler>) {
        self.channel = channel
        self.host = host
        self.replyTimeout = replyTimeout
        self.handler = handler
    }

    /// Connects, with TLS from the start when `implicitTLS` is given.
    static func open(
        host: String,
        port: Int,
        connectTimeout: TimeAmount,
        replyTimeout: TimeAmount,
        implicitTLS: NIOSSLContext?,
        group: any EventLoopGroup
    ) async throws -> SMTPConnection {
        let serverHostname = tlsServerHostname(for: host)
        do {
            // The initializer hands the reply handler out itself: looking it up in the pipeline
            // afterwards would fail if the server had already hung up and the pipeline was torn down.
            let (channel, handler) = try await ClientBootstrap(group: group)
                .connectTimeout(connectTimeout)
                .connect(host: host, port: port) { channel in
                    do {
                        let pipeline = channel.pipeline.syncOperations
                        if let implicitTLS {
                            try pipeline.addHandler(NIOSSLClientHandler(context: implicitTLS, serverHostname: serverHostname))
                        }
                        let handler = SMTPReplyHandler(eventLoop: channel.eventLoop)
                        try pipeline.addHandler(handler)
                        return channel.eventLoop.makeSucceededFuture((channel, NIOLoopBound(handler, eventLoop: channel.eventLoop)))
                    } catch {
                        return channel.eventLoop.makeFailedFuture(error)
                    }
                }
            return SMTPConnection(channel: channel, host: host, replyTimeout: replyTimeout, handler: handler)
        } catch {
            throw MailDeliveryError.transient("cannot connect to \(host) port \(port): \(describeConnectError(error, timeout: connectTimeout))")
        }
    }

    /// Sends one command line and returns the server's reply. `step` names the command in errors;
    /// the line itself never appears there, as it may carry credentials.
    func command(_ line: String, step: String) async throws -> SMTPReply {
        try await write(Array((line + "\r\n").utf8), step: step)
        return try await reply(to: step)
    }

    func write(_ bytes: [UInt8], step: String) async throws {
        do {
            try await channel.writeAndFlush(channel.allocator.buffer(bytes: bytes))
        } catch {
            // The reason the channel went away (a TLS alert, a reset) says more than the failed write.
            if let failure = await recordedFailure() { throw failure.deliveryError(step: step, timeout: replyTimeout) }
            throw MailDeliveryError.transient("\(step): cannot send: \(error)")
        }
    }

    func reply(to step: String, timeout: TimeAmount? = nil) async throws -> SMTPReply {
        let handler = self.handler
        let timeout = timeout ?? replyTimeout
        do {
            return try await channel.eventLoop.flatSubmit { handler.value.nextReply(timeout: timeout) }.get()
        } catch let error as SMTPConnectionError {
            throw error.deliveryError(step: step, timeout: timeout)
        } catch {
            throw MailDeliveryError.transient("\(step): \(error)")
        }
    }

    /// Puts TLS under the SMTP dialogue after the server agreed to STARTTLS. The handshake runs
    /// with the next command; its failure is reported as that command's.
    func startTLS(context: NIOSSLContext) async throws {
        let handler = self.handler
        let channel = self.channel
        let serverHostname = Self.tlsServerHostname(for: host)
        do {
            // Checking for stray input and adding the TLS handler in one go on the event loop leaves
            // no gap in which clear-text bytes could slip past either.
            try await channel.eventLoop.submit {
                if let failure = handler.value.failure { throw failure }
                guard !handler.value.hasUnreadInput else {
                    throw SMTPConnectionError.protocolViolation("the server sent more data right after agreeing to STARTTLS")
                }
                try channel.pipeline.syncOperations.addHandler(
                    NIOSSLClientHandler(context: context, serverHostname: serverHostname),
                    position: .first
                )
            }.get()
        } catch let error as SMTPConnectionError {
            throw error.deliveryError(step: "STARTTLS", timeout: replyTimeout)
        } catch {
            throw MailDeliveryError.transient("cannot start TLS with \(host): \(error)")
        }
    }

    func close() async {
        try? await channel.close()
    }

    private func recordedFailure() async -> SMTPConnectionError? {
        let handler = self.handler
        return try? await channel.eventLoop.submit { handler.value.failure }.get()
    }

    /// The name to send in SNI and check the certificate against; `nil` for an IP address, which
    /// SNI does not allow and which NIOSSL then checks against the certificate's IP entries.
    static func tlsServerHostname(for host: String) -> String? {
        (try? SocketAddress(ipAddress: host, port: 0)) == nil ? host : nil
    }

    private static func describeConnectError(_ error: any Error, timeout: TimeAmount) -> String {
        switch error {
        case let error as NIOConnectionError:
            if let dnsError = error.dnsAError ?? error.dnsAAAAError, error.connectionErrors.isEmpty {
                return "the name does not resolve (\(dnsError))"
            }
            if let first = error.connectionErrors.first {
                if let ioError = first.error as? IOError {
                    return String(cString: strerror(ioError.errnoCode))
                }
                return "\(first.error)"
            }
            return "\(error)"
        case ChannelError.connectTimeout:
            return "no connection within \(SMTPConnectionError.format(timeout))"
        default:
            return "\(error)"
        }
    }
}

extension SMTPConnectionError {
    /// All of these are transient: the server or the network may be fine on the next attempt.
    func deliveryError(step: String, timeout: TimeAmount) -> MailDeliveryError {
        switch self {
        case .timedOut:
            .transient("\(step): no reply within \(Self.format(timeout))")
        case .closed:
            .transient("\(step): the server closed the connection")
        case .tls(let reason):
            .transient("\(step): TLS failed: \(reason)")
        case .network(let reason):
            .transient("\(step): network error: \(reason)")
        case .protocolViolation(let reason):
            .transient("\(step): \(reason)")
        }
    }

    static func format(_ amount: TimeAmount) -> String {
        let milliseconds = amount.nanoseconds / 1_000_000
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000) s" : "\(milliseconds) ms"
    }
}
