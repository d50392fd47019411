import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VigilCore
import VigilStore
@testable import VigilWeb
import VigilTestSupport

@Suite("Updates and the signer's own page", .onBothDatabases)
struct UpdatesTests {
    /// Signs and confirms; returns the signer's manage link path from the confirmation e-mail.
    static func confirmedSigner(_ app: TestApp, _ client: any TestClientProtocol, email: String, keepInformed: Bool) async throws -> String? {
        let browser = Browser(client, address: "192.0.2.\(Int.random(in: 2...250))")
        _ = try await browser.sign(email: email, extra: keepInformed ? [("keep_informed", "yes")] : [])
        let mail = try await app.confirmationMail(for: email)
        _ = try await browser.confirm(try #require(mail.confirmationPath))
        return mail.signerPagePath
    }

    @Test("an update is written, published on the page and in the feed, and e-mailed once to those who asked")
    func writePublishSend() async throws {
        try await TestApp.with { app, client in
            _ = try await Self.confirmedSigner(app, client, email: "informed@example.org", keepInformed: true)
            _ = try await Self.confirmedSigner(app, client, email: "quiet@example.org", keepInformed: false)

            let admin = Browser(client)
            try await admin.signIn(try await app.staff(.admin), app: app)
            _ = try await admin.post("/admin/updates", fields: [
                ("csrf", try await admin.csrfToken()), ("petition", "osce-moscow-mechanism"), ("language", "en"),
                ("title", "Letter delivered to ODIHR"), ("body", "The **dossier** reached Warsaw. <script>alert(1)</script>"),
            ])
            let list = try await admin.get("/admin/updates")
            let id = try #require(list.body.firstMatch(of: /\/admin\/updates\/(\d+)\/publish/).map { String($0.1) })
            #expect(try await Browser(client).get("/updates").body.contains("No news yet."))
            let early = try await admin.post("/admin/updates/\(id)/send", fields: [("csrf", try await admin.csrfToken())])
            #expect(early.status == .conflict)

            _ = try await admin.post("/admin/updates/\(id)/publish", fields: [("csrf", try await admin.csrfToken())])
            let page = try await Browser(client).get("/updates")
            #expect(page.body.contains("Letter delivered to ODIHR"))
            #expect(page.body.contains("<strong>dossier</strong>"))
            #expect(!page.body.contains("<script>alert(1)"))
            let feed = try await Browser(client).get("/updates.atom")
            #expect(feed.headers[.contentType] == "application/atom+xml; charset=utf-8")
            #expect(feed.body.contains("<title>Letter delivered to ODIHR</title>"))
            #expect(feed.body.contains("&lt;strong&gt;dossier&lt;/strong&gt;"))

            let mailsBefore = try await app.deliveredMails().count
            let sent = try await admin.post("/admin/updates/\(id)/send", fields: [("csrf", try await admin.csrfToken())])
            #expect(sent.headers[.location] == "/admin/updates?sent=1")
            let mails = try await app.waitForMails(mailsBefore + 1)
            let update = try #require(mails.last)
            #expect(update.headers["To"]?.contains("informed@example.org") == true)
            #expect(update.headers["Subject"]?.hasPrefix("Letter delivered to ODIHR") == true)
            #expect(update.headers["List-Unsubscribe"]?.hasPrefix("<https://petition.example.org/signature/") == true)
            #expect(update.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click")
            try await Task.sleep(for: .milliseconds(200))
            #expect(try app.mails().count == mailsBefore + 1, "only the signer who asked gets it")

            let again = try await admin.post("/admin/updates/\(id)/send", fields: [("csrf", try await admin.csrfToken())])
            #expect(again.status == .conflict)
            #expect(again.body.contains("not sent twice"))
            #expect(try await app.store.outboxSummary().queued == 0)
        }
    }

    @Test("the link in every e-mail shows the signer their data, as a page and a file, and stops updates in one click")
    func signerPage() async throws {
        try await TestApp.with { app, client in
            let path = try #require(try await Self.confirmedSigner(app, client, email: "own.data@example.org", keepInformed: true))
            let browser = Browser(client)
            let page = try await browser.get(path)
            #expect(page.status == .ok)
            #expect(page.body.contains("own.data@example.org"))
            #expect(page.headers[.cacheControl] == "no-store")
            let file = try await browser.get(path + "/data.json")
            #expect(file.body.contains("\"email\" : \"own.data@example.org\""))

            // One click from a mail program: no cookie, no form token.
            let unsubscribed = try await Browser(client).post(path + "/unsubscribe", rawBody: .init(string: "List-Unsubscribe=One-Click"))
            #expect(unsubscribed.status == .seeOther)
            let record = try #require(try await app.store.signatures(email: EmailAddress("own.data@example.org")).first)
            #expect(record.keepInformed == false)

            #expect(try await browser.get("/signature/" + String(repeating: "A", count: 43)).status == .notFound)
            #expect(try await browser.get("/signature/not-a-token").status == .notFound)
        }
    }

    @Test("templates use triple braces only for sanitised Markdown")
    func tripleBraces() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/VigilWeb/Resources/templates")
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasSuffix(".mustache") {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            for match in text.matches(of: /\{\{\{([^}]*)\}\}\}/) {
                #expect(match.1.trimmingCharacters(in: .whitespaces).hasSuffix("safeHTML"), "\(name) writes \(match.0) unescaped")
            }
            #expect(!text.contains("{{&"), "\(name) uses {{& for unescaped output")
        }
    }
}

extension UpdatesTests {
    @Test("a signer erases their data through their link: the page stops working, the count stays")
    func eraseThroughLink() async throws {
        try await TestApp.with { app, client in
            let path = try #require(try await Self.confirmedSigner(app, client, email: "erase.me@example.org", keepInformed: true))
            let browser = Browser(client)
            let page = try await browser.get(path)
            let erased = try await browser.post(path + "/erase", fields: [("csrf", page.csrfToken ?? "")])
            #expect(erased.status == .ok)
            #expect(erased.body.contains("Your personal data is erased"))
            #expect(try await browser.get(path).status == .notFound)
            #expect(try await app.store.signatures(email: EmailAddress("erase.me@example.org")).isEmpty)
            let count = try await browser.get("/petitions/osce-moscow-mechanism/count.json")
            #expect(count.body.contains(#""signature_count":1"#))
            let forged = try await Browser(client).post(path + "/erase", fields: [("csrf", "x")])
            #expect(forged.status == .forbidden)
        }
    }
}

@Suite("Key rotation at start")
struct KeyRotationStartTests {
    @Test("a rotation interrupted after the database was re-sealed is finished at the next start")
    func interruptedRotation() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-keys-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        var configuration = VigilConfiguration()
        configuration.dataDirectory = folder.path
        configuration.contentDirectory = TestStore.contentFolder.path
        let first = try await VigilServer.openStore(configuration: configuration, logger: TestStore.quietLogger)
        let next = try first.folder.writeNextMasterKey()
        _ = try await first.store.reseal(with: PersonalDataCipher(masterKey: next), actor: "test")
        await first.store.close()

        let second = try await VigilServer.openStore(configuration: configuration, logger: TestStore.quietLogger)
        #expect(second.masterKey == next)
        #expect(!FileManager.default.fileExists(atPath: second.folder.nextMasterKeyFile.path))
        let retired = try FileManager.default.contentsOfDirectory(atPath: second.folder.masterKeyFile.deletingLastPathComponent().path)
            .filter { $0.contains("retired") }
        #expect(retired.count == 1)
        await second.store.close()

        // A rotation that never committed leaves a stray key, which is thrown away.
        _ = try second.folder.writeNextMasterKey()
        let third = try await VigilServer.openStore(configuration: configuration, logger: TestStore.quietLogger)
        #expect(third.masterKey == next)
        #expect(!FileManager.default.fileExists(atPath: third.folder.nextMasterKeyFile.path))
        await third.store.close()
    }
}
