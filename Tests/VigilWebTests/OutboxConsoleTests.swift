import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import Testing
import VigilCore
import VigilMail
import VigilStore
import VigilTestSupport
@testable import VigilWeb

/// Writes mail as the file transport does, except to the addresses it is told to refuse, which
/// it refuses for good in the words a Postfix relay uses. (The SMTP transport meeting a real
/// server that answers so is tested in VigilMailTests.)
final class RefusingTransport: MailTransport {
    let files: FileMailTransport
    let refused: Locked<Set<String>>

    init(folder: URL, refusing addresses: Set<String>) {
        files = FileMailTransport(folder: folder, logger: TestStore.quietLogger)
        refused = Locked(addresses)
    }

    func send(_ message: MailMessage) async throws {
        if refused.withLock({ $0.contains(message.to.address) }) {
            throw MailDeliveryError.permanent("RCPT TO answered 550 5.1.1 <\(message.to.address)>: Recipient address rejected: User unknown")
        }
        try await files.send(message)
    }
}

@Suite("Outgoing e-mail in the console", .onBothDatabases)
struct OutboxConsoleTests {
    /// Runs `body` with an app whose mail server refuses `refused`, and the transport to change that.
    static func with(
        refusing refused: Set<String>,
        _ body: @escaping @Sendable (TestApp, any TestClientProtocol, RefusingTransport) async throws -> Void
    ) async throws {
        let transport = Locked<RefusingTransport?>(nil)
        try await TestApp.with(mailTransport: { folder in
            let made = RefusingTransport(folder: folder, refusing: refused)
            transport.withLock { $0 = made }
            return made
        }) { app, client in
            try await body(app, client, try #require(transport.withLock { $0 }))
        }
    }

    /// Signs with `email` and waits until the mail worker has marked its confirmation failed.
    static func failedMail(_ app: TestApp, _ client: any TestClientProtocol, _ email: String) async throws -> OutboxEntry {
        _ = try await Browser(client, address: "198.51.100.\(email.count)").sign(email: email)
        for _ in 0..<250 {
            if let entry = try await app.store.outboxEntries(status: .failed, limit: 10).first(where: { $0.maskedRecipient == EmailAddress.masked(email) }) {
                return entry
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw StoreError.notFound("a failed e-mail to \(email)")
    }

    @Test("an admin sees a failed message with the server's answer and the address masked, sends it again, and it goes out once with its Message-ID")
    func retryOne() async throws {
        try await Self.with(refusing: ["nobody@example.org"]) { app, client, transport in
            let failed = try await Self.failedMail(app, client, "nobody@example.org")
            let admin = Browser(client, address: "192.0.2.50")
            try await admin.signIn(try await app.staff(.admin), app: app)

            let page = try await admin.get("/admin/outbox")
            #expect(page.status == .ok)
            #expect(page.body.contains(#"<a href="/admin/outbox" aria-current="page">Outgoing e-mail</a>"#))
            #expect(page.body.contains("<dt>Failed</dt><dd>1</dd>"))
            #expect(page.body.contains("Sent and failed messages are deleted, address included, 7 days after their last attempt"))
            #expect(page.body.contains("Confirmation request"))
            #expect(page.body.contains("n…@example.org"))
            #expect(page.body.contains("550 5.1.1"))
            #expect(page.body.contains("User unknown"))
            #expect(!page.body.contains("nobody@example.org"), "the full address is never shown, not even in the server's words")
            let retry = try #require(page.formAction(containing: "/admin/outbox/\(failed.id)/retry"))

            // Whatever made it fail is fixed; staff send it again.
            transport.refused.withLock { $0 = [] }
            let answer = try await admin.post(retry, fields: [("csrf", try await admin.csrfToken())])
            #expect(answer.status == .seeOther)
            #expect(answer.headers[.location] == "/admin/outbox?retried=1")
            #expect(try await admin.get("/admin/outbox?retried=1").body.contains("1 message is back in the queue."))

            let mails = try await app.deliveredMails()
            #expect(mails.count == 1)
            #expect(mails.first?.headers["To"]?.contains("nobody@example.org") == true)
            #expect(mails.first?.headers["Message-ID"]?.hasPrefix("<\(failed.messageID)@") == true, "the retry keeps the Message-ID")
            #expect(try await app.store.outboxSummary() == OutboxSummary(sent: 1))

            let audit = try await app.store.auditLog(limit: 20).filter { $0.action == "mail.retried" }
            #expect(audit.count == 1)
            #expect(audit.first?.subject == "outbox:\(failed.id)")
            #expect(audit.first?.details?.contains("550 5.1.1 <n…@example.org>") == true, "\(audit.first?.details ?? "")")
            #expect(audit.first?.details?.contains(#""kind":"confirm-signature""#) == true)

            // Sent now: sending it again is refused, and changes nothing.
            let again = try await admin.post(retry, fields: [("csrf", try await admin.csrfToken())])
            #expect(again.status == .conflict)
            #expect(again.body.contains("That message has not failed"))
            #expect(try await app.store.outboxSummary() == OutboxSummary(sent: 1))
            #expect(try await app.store.auditLog(limit: 20).filter { $0.action == "mail.retried" }.count == 1)
            #expect(try app.mails().count == 1)
        }
    }

    @Test("\"send all again\" puts every failed message back in the queue with one audit line")
    func retryAll() async throws {
        try await Self.with(refusing: ["first@example.org", "second@example.org"]) { app, client, transport in
            _ = try await Self.failedMail(app, client, "first@example.org")
            _ = try await Self.failedMail(app, client, "second@example.org")
            let admin = Browser(client, address: "192.0.2.51")
            try await admin.signIn(try await app.staff(.admin), app: app)
            #expect(try await admin.get("/admin/outbox").body.contains("<dt>Failed</dt><dd>2</dd>"))

            transport.refused.withLock { $0 = [] }
            let answer = try await admin.post("/admin/outbox/retry-failed", fields: [("csrf", try await admin.csrfToken())])
            #expect(answer.headers[.location] == "/admin/outbox?retried=2")
            #expect(try await app.deliveredMails().count == 2)
            #expect(try await app.store.outboxSummary() == OutboxSummary(sent: 2))
            let audit = try await app.store.auditLog(limit: 20).filter { $0.action == "mail.retried-all" }
            #expect(audit.count == 1)
            #expect(audit.first?.details?.contains(#""messages":"2""#) == true)
        }
    }

    @Test("an editor, a missing form token and an unknown id are refused, and nothing changes")
    func refusals() async throws {
        try await Self.with(refusing: ["nobody@example.org"]) { app, client, _ in
            let failed = try await Self.failedMail(app, client, "nobody@example.org")
            let retry = "/admin/outbox/\(failed.id)/retry"

            let editor = Browser(client, address: "192.0.2.60")
            try await editor.signIn(try await app.staff(.editor), app: app)
            #expect(try await editor.get("/admin/outbox").status == .forbidden)
            #expect(try await editor.post(retry, fields: [("csrf", try await editor.csrfToken())]).status == .forbidden)
            #expect(try await editor.post("/admin/outbox/retry-failed", fields: [("csrf", try await editor.csrfToken())]).status == .forbidden)
            #expect(!(try await editor.get("/admin").body.contains(#"href="/admin/outbox""#)), "the editor's console has no link to it")

            let admin = Browser(client, address: "192.0.2.61")
            try await admin.signIn(try await app.staff(.admin), app: app)
            #expect(try await admin.post(retry, fields: [("csrf", "forged")]).status == .forbidden)
            let unknown = try await admin.post("/admin/outbox/\(failed.id + 1000)/retry", fields: [("csrf", try await admin.csrfToken())])
            #expect(unknown.status == .notFound)
            #expect(unknown.body.contains("There is no such message. Nothing was changed."))
            #expect(try await admin.post("/admin/outbox/first/retry", fields: [("csrf", try await admin.csrfToken())]).status == .notFound)

            let still = try await app.store.outboxEntries(limit: 10)
            #expect(still == [failed], "the failed message is as it was")
            #expect(try await app.store.auditLog(limit: 50).allSatisfy { !$0.action.hasPrefix("mail.") })
        }
    }
}
