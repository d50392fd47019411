import Foundation
import Logging
import Testing
@testable import VigilMail

/// The SMTP transport against a real SMTP server (aiosmtpd, see Support/smtp_test_server.py).
@Suite("SMTP transport")
struct SMTPMailTransportTests {
    static let body = """
        Բարև Ձեզ, Анна!
        Please confirm your signature: https://vigil.example/confirm/abc
        .
        .this line starts with a dot
        Спасибо — Շնորհակալություն
        """

    static func message(from: String = "petition@vigil.example", to: String = "anna@example.org") -> MailMessage {
        MailMessage(
            from: .init(name: "Vigil", address: from),
            to: .init(name: "Աննա Петрова", address: to),
            subject: "Подтвердите подпись – Հաստատեք",
            body: body,
            messageID: "<\(UUID().uuidString)@vigil.example>",
            date: Date(timeIntervalSince1970: 1_750_000_000)
        )
    }

    static func transport(
        port: Int,
        host: String = "127.0.0.1",
        security: SMTPSettings.Security = .none,
        username: String? = nil,
        password: String? = nil,
        replyTimeout: Duration = .seconds(10),
        trustTestCertificate: Bool = true
    ) throws -> SMTPMailTransport {
        let settings = SMTPSettings(
            host: host, port: port, security: security, username: username, password: password,
            connectTimeout: .seconds(5), replyTimeout: replyTimeout,
            additionalTrustedCAFile: trustTestCertificate ? TestCertificate.shared?.certificateFile : nil
        )
        return try SMTPMailTransport(settings: settings, logger: Logger(label: "vigil.test.smtp"))
    }

    /// The error `send` throws, or nil (recorded as a test failure) when it does not throw one.
    static func deliveryError(
        _ transport: SMTPMailTransport, _ message: MailMessage, sourceLocation: SourceLocation = #_sourceLocation
    ) async -> MailDeliveryError? {
        await #expect(throws: MailDeliveryError.self, sourceLocation: sourceLocation) {
            try await transport.send(message)
        }
    }

    static func tlsOptions() -> [String] {
        guard let certificate = TestCertificate.shared else { return [] }
        return ["--tls-cert", certificate.certificateFile, "--tls-key", certificate.keyFile]
    }

    // MARK: - Plain connections

    @Test(.enabled(if: SMTPTestServer.isAvailable, SMTPTestServer.unavailableReason))
    func deliversMessageIntact() async throws {
        let server = try await SMTPTestServer.start()
        defer { server.stop() }
        let message = Self.message()
        try await Self.transport(port: server.port).send(message)

        let stored = try server.messages()
        try #require(stored.count == 1)
        #expect(stored[0].mailFrom == "petition@vigil.example")
        #expect(stored[0].rcptTos == ["anna@example.org"])
        #expect(stored[0].subject == message.subject)
        #expect(stored[0].messageId == message.messageID)
        #expect(stored[0].tls == false)
        // Python's email package undoes the quoted-printable; the server undid the dot-stuffing.
        let body = stored[0].body.replacingOccurrences(of: "\r\n", with: "\n")
        #expect(body.trimmingCharacters(in: .newlines) == Self.body)
        let raw = String(decoding: stored[0].raw, as: UTF8.self)
        #expect(raw.contains("\r\n.\r\n.this line starts with a dot\r\n"))
    }

    @Test(.enabled(if: SMTPTestServer.isAvailable, SMTPTestServer.unavailableReason))
    func transientRefusalThenSuccess() async throws {
        let server = try await SMTPTestServer.start(["--refuse-first", "1", "--refuse-code", "451"])
        defer { server.stop() }
        let transport = try Self.transport(port: server.port)
        let message = Self.message()

        let error = await Self.deliveryError(transport, message)
        guard case .transient(let reason) = error else {
            Issue.record("expected a transient error, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("451"))
        #expect(reason.contains("end of message"))
        #expect(try server.messages().isEmpty)

        try await transport.send(message)
        #expect(try server.messages().count == 1)
    }

    @Test(.enabled(if: SMTPTestServer.isAvailable, SMTPTestServer.unavailableReason))
    func transientRefusalOfRecipient() async throws {
        let server = try await SMTPTestServer.start(["--refuse-first", "1", "--refuse-at", "rcpt", "--refuse-code", "450"])
        defer { server.stop() }
        let error = await Self.deliveryError(try Self.transport(port: server.port), Self.message())
        guard case .transient(let reason) = error else {
            Issue.record("expected a transient error, got \(String(describing: error))")
            return
        }
        #expect(reason == "RCPT TO answered 450 4.3.0 try again later")
    }

    @Test(.enabled(if: SMTPTestServer.isAvailable, SMTPTestServer.unavailableReason))
    func permanentRejection() async throws {
        let server = try await SMTPTestServer.start(["--reject-code", "550"])
        defer { server.stop() }
        let error = await Self.deliveryError(try Self.transport(port: server.port), Self.message())
        guard case .permanent(let reason) = error else {
            Issue.record("expected a permanent error, got \(String(describing: error))")
            return
        }
        #expect(reason == "RCPT TO answered 550 5.1.1 no such user")
        #expect(try server.messages().isEmpty)
    }

    @Test func nothingListening() async throws {
        let port = try await SMTPTestServer.unusedPort()

        let error = await Self.deliveryError(try Self.transport(port: port), Self.message())
        guard case .transient(let reason) = error else {
            Issue.record("expected a transient error, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("cannot connect to 127.0.0.1 port \(port)"))
    }

    @Test func unresolvableHost() async throws {
        let error = await Self.deliveryError(try Self.transport(port: 25, host: "vigil-no-such-host.invalid"), Self.message())
        guard case .transient(let reason) = error else {
            Issue.record("expected a transient error, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("cannot connect to vigil-no-such-host.invalid"))
    }

    @Test(.enabled(if: SMTPTestServer.isAvailable, SMTPTestServer.unavailableReason))
    func slowServerTimesOut() async throws {
        let server = try await SMTPTestServer.start(["--delay", "30"])
        defer { server.stop() }
        let transport = try Self.transport(port: server.port, replyTimeout: .seconds(1))
        let started = ContinuousClock.now
        let error = await Self.deliveryError(transport, Self.message())
        let elapsed = ContinuousClock.now - started
        guard case .transient(let reason) = error else {
            Issue.record("expected a transient error, got \(String(describing: error))")
            return
        }
        #expect(reason == "end of message: no reply within 1 s")
        #expect(elapsed < .seconds(10), "the transport waited for the server instead of giving up")
    }

    @Test(.enabled(if: SMTPTestServer.isAvailable, SMTPTestServer.unavailableReason))
    func internationalAddressWithSMTPUTF8() async throws {
        let server = try await SMTPTestServer.start(["--smtputf8"])
        defer { server.stop() }
        try await Self.transport(port: server.port).send(Self.message(to: "աննա@օրինակ.հայ"))
        let stored = try server.messages()
        try #require(stored.count == 1)
        #expect(stored[0].rcptTos == ["աննա@օրինակ.հայ"])
        #expect(stored[0].mailOptions.contains("SMTPUTF8"))
    }

    @Test(.enabled(if: SMTPTestServer.isAvailable, SMTPTestServer.unavailableReason))
    func internationalAddressWithoutSMTPUTF8() async throws {
        let server = try await SMTPTestServer.start()
        defer { server.stop() }
        let error = await Self.deliveryError(try Self.transport(port: server.port), Self.message(to: "анна@пример.рф"))
        guard case .permanent(let reason) = error else {
            Issue.record("expected a permanent error, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("SMTPUTF8"))
        #expect(try server.messages().isEmpty)
    }

    @Test(.enabled(if: SMTPTestServer.isAvailable, SMTPTestServer.unavailableReason))
    func messageLargerThanTheServerAccepts() async throws {
        let server = try await SMTPTestServer.start(["--size-limit", "300"])
        defer { server.stop() }
        let error = await Self.deliveryError(try Self.transport(port: server.port), Self.message())
        guard case .permanent(let reason) = error else {
            Issue.record("expected a permanent error, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("accepts at most 300"))
    }

    @Test(arguments: ["anna@example.org>\r\nRCPT TO:<mallory@example.org", "anna@example.org\nDATA", "", "a b@example.org"])
    func addressesThatWouldBreakTheCommandAreRefused(_ recipient: String) async throws {
        // Port 9 (discard) is not used: the address is checked before any connection.
        let error = await Self.deliveryError(try Self.transport(port: 9), Self.message(to: recipient))
        guard case .permanent(let reason) = error else {
            Issue.record("expected a permanent error, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("recipient address"))
    }

    // MARK: - TLS

    @Test(.enabled(if: SMTPTestServer.isAvailable, SMTPTestServer.unavailableReason), .enabled(if: TestCertificate.isAvailable, TestCertificate.unavailableReason))
    func startTLSWithAuthPlain() async throws {
        let server = try await SMTPTestServer.start(Self.tlsOptions() + ["--starttls", "--auth", "vigil:Corr3ct-H0rse"])
        defer { server.stop() }
        let transport = try Self.transport(
            port: server.port, host: "localhost", security: .startTLS, username: "vigil", password: "Corr3ct-H0rse"
        )
        try await transport.send(Self.message())
        let stored = try server.messages()
        try #require(stored.count == 1)
        #expect(stored[0].tls)
        #expect(stored[0].authenticated)
        #expect(stored[0].messageId.hasSuffix("@vigil.example>"))
    }

    @Test(.enabled(if: SMTPTestServer.isAvailable, SMTPTestServer.unavailableReason), .enabled(if: TestCertificate.isAvailable, TestCertificate.unavailableReason))
    func startTLSWithAuthLogin() async throws {
        let server = try await SMTPTestServer.start(
            Self.tlsOptions() + ["--starttls", "--auth", "vigil:Corr3ct-H0rse", "--auth-exclude", "PLAIN"]
        )
        defer { server.stop() }
        let transport = try Self.transport(
            port: server.port, host: "localhost", security: .startTLS, username: "vigil", password: "Corr3ct-H0rse"
        )
        try await transport.send(Self.message())
        let stored = try server.messages()
        try #require(stored.count == 1)
        #expect(stored[0].authenticated)
    }

    @Test(.enabled(if: SMTPTestServer.isAvailable, SMTPTestServer.unavailableReason), .enabled(if: TestCertificate.isAvailable, TestCertificate.unavailableReason))
    func wrongPasswordIsPermanentAndNotRevealed() async throws {
        let server = try await SMTPTestServer.start(Self.tlsOptions() + ["--starttls", "--auth", "vigil:Corr3ct-H0rse"])
        defer { server.stop() }
        let password = "Wr0ng-Batt3ry-Stapl3"
        let transport = try Self.transport(
            port: server.port, host: "localhost", security: .startTLS, username: "vigil", password: password
        )
        let error = await Self.deliveryError(transport, Self.message())
        guard case .permanent(let reason) = error else {
            Issue.record("expected a permanent error, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("AUTH PLAIN answered 535"))
        let token = Data("\0vigil\0\(password)".utf8).base64EncodedString()
        #expect(!reason.contains(password))
        #expect(!reason.contains(token))
        #expect(!"\(transport.settings)".contains(password))
        #expect(try server.messages().isEmpty)
    }

    @Test(.enabled(if: SMTPTestServer.isAvailable, SMTPTestServer.unavailableReason), .enabled(if: TestCertificate.isAvailable, TestCertificate.unavailableReason))
    func implicitTLS() async throws {
        let server = try await SMTPTestServer.start(Self.tlsOptions())
        defer { server.stop() }
        try await Self.transport(port: server.port, host: "localhost", security: .implicitTLS).send(Self.message())
        let stored = try server.messages()
        try #require(stored.count == 1)
        #expect(stored[0].tls)
    }

    @Test(.enabled(if: SMTPTestServer.isAvailable, SMTPTestServer.unavailableReason), .enabled(if: TestCertificate.isAvailable, TestCertificate.unavailableReason))
    func implicitTLSWithAnIPAddressChecksTheCertificatesIPEntry() async throws {
        let server = try await SMTPTestServer.start(Self.tlsOptions())
        defer { server.stop() }
        try await Self.transport(port: server.port, host: "127.0.0.1", security: .implicitTLS).send(Self.message())
        #expect(try server.messages().count == 1)
    }

    @Test(.enabled(if: SMTPTestServer.isAvailable, SMTPTestServer.unavailableReason), .enabled(if: TestCertificate.isAvailable, TestCertificate.unavailableReason))
    func untrustedCertificateIsRefused() async throws {
        let server = try await SMTPTestServer.start(Self.tlsOptions())
        defer { server.stop() }
        let transport = try Self.transport(
            port: server.port, host: "localhost", security: .implicitTLS, trustTestCertificate: false
        )
        let error = await Self.deliveryError(transport, Self.message())
        guard case .transient(let reason) = error else {
            Issue.record("expected a transient error, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("TLS failed"))
        #expect(try server.messages().isEmpty)
    }

    @Test(.enabled(if: SMTPTestServer.isAvailable, SMTPTestServer.unavailableReason), .enabled(if: TestCertificate.isAvailable, TestCertificate.unavailableReason))
    func clearTextInjectedAfterSTARTTLSIsRefused() async throws {
        let server = try await SMTPTestServer.start(Self.tlsOptions() + ["--starttls", "--inject-after-starttls"])
        defer { server.stop() }
        let error = await Self.deliveryError(
            try Self.transport(port: server.port, host: "localhost", security: .startTLS), Self.message()
        )
        guard case .transient(let reason) = error else {
            Issue.record("expected a transient error, got \(String(describing: error))")
            return
        }
        #expect(reason == "STARTTLS: the server sent more data right after agreeing to STARTTLS")
        #expect(try server.messages().isEmpty)
    }

    @Test(.enabled(if: SMTPTestServer.isAvailable, SMTPTestServer.unavailableReason))
    func missingSTARTTLSStopsBeforeAnythingIsSent() async throws {
        let server = try await SMTPTestServer.start()
        defer { server.stop() }
        let transport = try Self.transport(
            port: server.port, security: .startTLS, username: "vigil", password: "Corr3ct-H0rse"
        )
        let error = await Self.deliveryError(transport, Self.message())
        guard case .transient(let reason) = error else {
            Issue.record("expected a transient error, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("does not offer STARTTLS"))
        #expect(try server.messages().isEmpty)
    }
}

@Suite("SMTP settings")
struct SMTPSettingsTests {
    @Test func defaultsFollowTheSecurity() {
        #expect(SMTPSettings(host: "mail.example.org").port == 587)
        #expect(SMTPSettings(host: "mail.example.org", security: .implicitTLS).port == 465)
        #expect(SMTPSettings(host: "mail.example.org", port: 2525, security: .none).port == 2525)
        let settings = SMTPSettings(host: "mail.example.org")
        #expect(settings.security == .startTLS)
        #expect(settings.heloName == "localhost")
        #expect(settings.connectTimeout == .seconds(10))
        #expect(settings.replyTimeout == .seconds(60))
    }

    @Test func thePasswordStaysOutOfDescriptions() {
        let settings = SMTPSettings(host: "mail.example.org", username: "vigil", password: "Corr3ct-H0rse")
        var dumped = ""
        dump(settings, to: &dumped)
        for text in ["\(settings)", String(reflecting: settings), dumped] {
            #expect(!text.contains("Corr3ct-H0rse"))
            #expect(text.contains("mail.example.org"))
        }
    }

    @Test func aMissingCAFileFailsAtStartup() {
        let settings = SMTPSettings(host: "mail.example.org", additionalTrustedCAFile: "/nonexistent/vigil-ca.pem")
        #expect(throws: (any Error).self) {
            try SMTPMailTransport(settings: settings, logger: Logger(label: "vigil.test.smtp"))
        }
    }
}
