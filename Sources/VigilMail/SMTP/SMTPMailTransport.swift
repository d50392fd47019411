import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL

/// Hands messages to an SMTP server (RFC 5321): one connection per message, one recipient each.
///
/// The server is a relay, usually the organisation's mail provider; it queues, retries and
/// delivers onwards, and Vigil's outbox retries whatever fails here. So this client stays small:
/// EHLO, STARTTLS or implicit TLS, AUTH PLAIN or LOGIN, SMTPUTF8 and SIZE, and nothing else.
public struct SMTPMailTransport: MailTransport {
    public let settings: SMTPSettings
    private let tlsContext: NIOSSLContext?
    private let group: any EventLoopGroup
    private let logger: Logger

    /// Throws when the TLS setup cannot be built, for example because the extra CA file is
    /// missing, so a broken configuration shows at startup rather than with the first message.
    public init(
        settings: SMTPSettings,
        logger: Logger,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) throws {
        self.settings = settings
        self.logger = logger
        self.group = eventLoopGroup
        switch settings.security {
        case .none:
            tlsContext = nil
        case .startTLS, .implicitTLS:
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.minimumTLSVersion = .tlsv12
            if let file = settings.additionalTrustedCAFile {
                configuration.additionalTrustRoots = [.file(file)]
            }
            tlsContext = try NIOSSLContext(configuration: configuration)
        }
    }

    public func send(_ message: MailMessage) async throws {
        let sender = try Self.envelopeAddress(message.from.address, role: "sender")
        let recipient = try Self.envelopeAddress(message.to.address, role: "recipient")
        let connection = try await SMTPConnection.open(
            host: settings.host,
            port: settings.port,
            connectTimeout: TimeAmount(settings.connectTimeout),
            replyTimeout: TimeAmount(settings.replyTimeout),
            implicitTLS: settings.security == .implicitTLS ? tlsContext : nil,
            group: group
        )
        do {
            try await deliver(message, from: sender, to: recipient, over: connection)
            await connection.close()
        } catch {
            await connection.close()
            let failure = redacted(error as? MailDeliveryError ?? .transient("\(error)"))
            logger.debug("SMTP delivery failed", metadata: ["message-id": "\(message.messageID)", "error": "\(failure)"])
            throw failure
        }
    }

    private func deliver(_ message: MailMessage, from sender: String, to recipient: String, over connection: SMTPConnection) async throws {
        let greeting = try await connection.reply(to: "greeting")
        guard greeting.isPositiveCompletion else {
            throw Self.failure(greeting, "greeting was")
        }
        var capabilities = try await hello(connection, step: "EHLO")

        if settings.security == .startTLS {
            guard capabilities.startTLS, let tlsContext else {
                throw MailDeliveryError.transient(
                    "\(settings.host) does not offer STARTTLS, which the settings require; nothing was sent in clear text"
                )
            }
            try Self.require(await connection.command("STARTTLS", step: "STARTTLS"), step: "STARTTLS")
            try await connection.startTLS(context: tlsContext)
            capabilities = try await hello(connection, step: "EHLO after STARTTLS")
            logger.trace("SMTP connection to \(settings.host) is now encrypted")
        }

        if let credentials = settings.credentials {
            try await authenticate(credentials, capabilities: capabilities, over: connection)
        }

        let needsSMTPUTF8 = !sender.allSatisfy(\.isASCII) || !recipient.allSatisfy(\.isASCII)
        if needsSMTPUTF8 && !capabilities.smtpUTF8 {
            throw MailDeliveryError.permanent(
                "an address is not plain ASCII and \(settings.host) does not offer SMTPUTF8 to carry it"
            )
        }
        let data = SMTPMessageData.encode(message.rendered())
        if let limit = capabilities.maximumSize, data.count > limit {
            throw MailDeliveryError.permanent("the message has \(data.count) bytes; \(settings.host) accepts at most \(limit)")
        }

        var mailFrom = "MAIL FROM:<\(sender)>"
        if capabilities.size { mailFrom += " SIZE=\(data.count)" }
        if needsSMTPUTF8 { mailFrom += " SMTPUTF8" }
        try Self.require(await connection.command(mailFrom, step: "MAIL FROM"), step: "MAIL FROM")
        try Self.require(await connection.command("RCPT TO:<\(recipient)>", step: "RCPT TO"), step: "RCPT TO")
        try Self.require(await connection.command("DATA", step: "DATA"), step: "DATA", expecting: 3)
        try await connection.write(data, step: "message text")
        let accepted = try await connection.reply(to: "end of message")
        try Self.require(accepted, step: "end of message")
        logger.debug(
            "SMTP server accepted message",
            metadata: ["message-id": "\(message.messageID)", "server": "\(settings.host)", "reply": "\(accepted)"]
        )

        // The message is accepted; a server that does not answer QUIT properly changes nothing.
        // It gets a short wait of its own, so such a server does not hold the sender up.
        if (try? await connection.write(Array("QUIT\r\n".utf8), step: "QUIT")) != nil {
            _ = try? await connection.reply(to: "QUIT", timeout: min(connection.replyTimeout, .seconds(5)))
        }
    }

    private func hello(_ connection: SMTPConnection, step: String) async throws -> SMTPCapabilities {
        let reply = try await connection.command("EHLO \(settings.heloName)", step: step)
        try Self.require(reply, step: step)
        return SMTPCapabilities(ehloReply: reply)
    }

    private func authenticate(
        _ credentials: (username: String, password: String),
        capabilities: SMTPCapabilities,
        over connection: SMTPConnection
    ) async throws {
        if capabilities.authMechanisms.contains("PLAIN") {
            let token = Self.base64("\0\(credentials.username)\0\(credentials.password)")
            try Self.require(await connection.command("AUTH PLAIN \(token)", step: "AUTH PLAIN"), step: "AUTH PLAIN")
        } else if capabilities.authMechanisms.contains("LOGIN") {
            try Self.require(await connection.command("AUTH LOGIN", step: "AUTH LOGIN"), step: "AUTH LOGIN", expecting: 3)
            let afterUser = try await connection.command(Self.base64(credentials.username), step: "AUTH LOGIN (user name)")
            try Self.require(afterUser, step: "AUTH LOGIN (user name)", expecting: 3)
            let afterPassword = try await connection.command(Self.base64(credentials.password), step: "AUTH LOGIN (password)")
            try Self.require(afterPassword, step: "AUTH LOGIN (password)")
        } else {
            let offered = capabilities.authMechanisms.sorted().joined(separator: " ")
            throw MailDeliveryError.permanent(
                "a user name is set, but \(settings.host) offers no login Vigil supports (PLAIN, LOGIN)"
                    + (offered.isEmpty ? "" : "; it offers \(offered)")
            )
        }
    }

    /// Checks the reply's first digit: 2 for done, 3 where the server is to wait for more.
    private static func require(_ reply: SMTPReply, step: String, expecting digit: Int = 2) throws {
        guard reply.code / 100 != digit else { return }
        throw failure(reply, "\(step) answered")
    }

    /// 5xx is permanent; everything else unexpected (4xx, or a code out of turn) may pass.
    private static func failure(_ reply: SMTPReply, _ what: String) -> MailDeliveryError {
        reply.isPermanentFailure ? .permanent("\(what) \(reply)") : .transient("\(what) \(reply)")
    }

    /// The address as it goes between angle brackets in MAIL FROM and RCPT TO. A line break or an
    /// angle bracket in it would let whoever typed the address add SMTP commands of their own.
    static func envelopeAddress(_ address: String, role: String) throws -> String {
        guard !address.isEmpty else {
            throw MailDeliveryError.permanent("the \(role) address is empty")
        }
        let forbidden = address.unicodeScalars.contains {
            $0.value < 0x21 || $0.value == 0x7f || $0 == "<" || $0 == ">"
                || $0.properties.generalCategory == .lineSeparator || $0.properties.generalCategory == .paragraphSeparator
        }
        guard !forbidden else {
            throw MailDeliveryError.permanent("the \(role) address contains spaces, control characters or angle brackets")
        }
        // RFC 5321 §4.5.3.1.3: a path holds at most 256 octets, brackets included.
        guard address.utf8.count <= 254 else {
            throw MailDeliveryError.permanent("the \(role) address is longer than SMTP allows")
        }
        return address
    }

    /// Removes the password and anything derived from it from a server's words before they reach
    /// a log, in case a server echoes what it was sent.
    private func redacted(_ error: MailDeliveryError) -> MailDeliveryError {
        guard let credentials = settings.credentials else { return error }
        let secrets = [
            Self.base64("\0\(credentials.username)\0\(credentials.password)"),
            Self.base64(credentials.password),
            credentials.password,
        ].filter { !$0.isEmpty }
        func scrub(_ text: String) -> String {
            secrets.reduce(text) { $0.replacingOccurrences(of: $1, with: "[redacted]") }
        }
        switch error {
        case .transient(let reason): return .transient(scrub(reason))
        case .permanent(let reason): return .permanent(scrub(reason))
        }
    }

    private static func base64(_ text: String) -> String {
        Data(text.utf8).base64EncodedString()
    }
}
