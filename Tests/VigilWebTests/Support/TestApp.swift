import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import VigilMail
import VigilCore
import VigilStore
import VigilTestSupport
@testable import VigilWeb

/// A Vigil server on a temporary data folder with the repository's campaign content, e-mail
/// written to files, tested through its router or a real socket.
struct TestApp: Sendable {
    let server: VigilServer
    let folder: URL
    let clock: TestClock
    let configuration: VigilConfiguration

    var store: Store { server.store }

    /// - Parameters:
    ///   - signRateLimit: signatures per client per minute; 0 turns the limits off.
    ///   - configure: changes a test makes to the settings after these.
    ///   - behindProxy: take the client address from `X-Forwarded-For`, so tests can play several clients.
    ///   - content: a content folder other than the repository's `Content/`.
    ///   - mailTransport: a transport other than the file transport, given the folder where the
    ///     file transport would write.
    static func make(
        signRateLimit: Int = 0,
        behindProxy: Bool = true,
        port: Int = 0,
        content: URL? = nil,
        mailTransport: ((_ mailFolder: URL) -> any MailTransport)? = nil,
        configure: (inout VigilConfiguration) -> Void = { _ in }
    ) async throws -> TestApp {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-web-\(UUID().uuidString)")
        var configuration = VigilConfiguration()
        configuration.dataDirectory = folder.path
        configuration.contentDirectory = (content ?? TestStore.contentFolder).path
        configuration.signRateLimit = signRateLimit
        // Tests send forms as soon as they read them; the test of the minimum time sets its own.
        configuration.signMinimumSeconds = 0
        configuration.behindProxy = behindProxy
        configuration.port = port
        configuration.baseURL = "https://petition.example.org"
        configuration.sqliteSynchronous = "normal"
        if case .postgres(let url) = TestDatabase.current {
            configuration.databaseURL = url
            configuration.databaseSchema = TestDatabase.freshSchemaName()
        }
        configure(&configuration)
        let clock = TestClock()
        // bcrypt at cost 4 and short delays keep sign-in tests fast; the production settings are checked on their own.
        var signIn = StaffSignInSettings()
        signIn.bcryptCost = 4
        signIn.delayPerFailure = .milliseconds(1)
        let server = try await VigilServer.build(
            configuration: configuration, mailTransport: mailTransport?(folder.appendingPathComponent("mail")), now: { clock.now },
            staffSignIn: signIn, logger: TestStore.quietLogger
        )
        return TestApp(server: server, folder: folder, clock: clock, configuration: configuration)
    }

    /// Runs `body` against the app through its router (or a live socket), then closes everything.
    static func with(
        signRateLimit: Int = 0,
        behindProxy: Bool = true,
        live: Bool = false,
        content: URL? = nil,
        mailTransport: ((_ mailFolder: URL) -> any MailTransport)? = nil,
        configure: (inout VigilConfiguration) -> Void = { _ in },
        _ body: @escaping @Sendable (TestApp, any TestClientProtocol) async throws -> Void
    ) async throws {
        let app = try await make(
            signRateLimit: signRateLimit, behindProxy: behindProxy, content: content, mailTransport: mailTransport, configure: configure
        )
        do {
            try await app.server.application.test(live ? .live : .router) { client in
                try await body(app, client)
            }
        } catch {
            await app.close()
            throw error
        }
        await app.close()
    }

    func close() async {
        await closeSharingDatabase()
        if let url = configuration.databaseURL {
            await TestDatabase.dropSchema(configuration.databaseSchema, url: url)
        }
    }

    /// Closes the store and removes the data folder, but leaves the database to the other server that shares it.
    func closeSharingDatabase() async {
        await store.close()
        try? FileManager.default.removeItem(at: folder)
    }

    /// The campaign's petition.
    func petition() async throws -> Petition {
        guard let petition = try await store.petition(slug: "osce-moscow-mechanism") else {
            throw StoreError.notFound("osce-moscow-mechanism")
        }
        return petition
    }

    /// E-mails written by the file transport, decoded, oldest first.
    func mails() throws -> [ReceivedMail] {
        let mailFolder = folder.appendingPathComponent("mail")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: mailFolder.path)) ?? []
        return try names.filter { $0.hasSuffix(".eml") }.map { name in
            let url = mailFolder.appendingPathComponent(name)
            let created = (try FileManager.default.attributesOfItem(atPath: url.path)[.modificationDate] as? Date) ?? .distantPast
            return (created, ReceivedMail(raw: try String(contentsOf: url, encoding: .utf8)))
        }.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// Waits until the outbox has nothing left to send, and returns every e-mail written.
    func deliveredMails() async throws -> [ReceivedMail] {
        for _ in 0..<200 {
            let outbox = try await store.outboxSummary()
            if outbox.queued == 0 && outbox.sending == 0 { return try mails() }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw StoreError.notFound("an empty outbox")
    }

    /// Waits until the mail worker has written `count` e-mails, and returns them.
    func waitForMails(_ count: Int) async throws -> [ReceivedMail] {
        for _ in 0..<200 {
            let mails = try mails()
            if mails.count >= count { return mails }
            try await Task.sleep(for: .milliseconds(20))
        }
        return try mails()
    }
}

/// An e-mail read back from an .eml file.
struct ReceivedMail: Sendable {
    let raw: String

    var headers: [String: String] {
        let head = raw.components(separatedBy: "\r\n\r\n").first ?? ""
        var result: [String: String] = [:]
        for line in head.components(separatedBy: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            result[String(line[..<colon])] = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
        }
        return result
    }

    /// The body with its quoted-printable encoding undone.
    var body: String {
        let encoded = raw.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n")
        let joined = encoded.replacingOccurrences(of: "=\r\n", with: "")
        var bytes: [UInt8] = []
        var index = joined.utf8.startIndex
        let utf8 = joined.utf8
        while index != utf8.endIndex {
            let byte = utf8[index]
            if byte == UInt8(ascii: "="),
               let first = utf8.index(index, offsetBy: 1, limitedBy: utf8.endIndex), first != utf8.endIndex,
               let second = utf8.index(index, offsetBy: 2, limitedBy: utf8.endIndex), second != utf8.endIndex,
               let value = UInt8(String(decoding: [utf8[first], utf8[second]], as: UTF8.self), radix: 16) {
                bytes.append(value)
                index = utf8.index(after: second)
            } else {
                bytes.append(byte)
                index = utf8.index(after: index)
            }
        }
        return String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
    }

    /// The first link to this site's confirmation page, as a path.
    var confirmationPath: String? { path(#"(/[a-z]{2})?/confirm/[A-Za-z0-9_-]+"#) }

    /// The first link to the signer's own page, as a path.
    var signerPagePath: String? { path(#"(/[a-z]{2})?/signature/[A-Za-z0-9_-]{43}"#) }

    /// The path of the first link to this site whose path matches `pattern`.
    private func path(_ pattern: String) -> String? {
        guard let range = body.range(of: #"https://petition\.example\.org"# + pattern, options: .regularExpression) else {
            return nil
        }
        return String(body[range]).replacingOccurrences(of: "https://petition.example.org", with: "")
    }
}
