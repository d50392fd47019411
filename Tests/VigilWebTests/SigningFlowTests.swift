import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import VigilCore
import VigilStore
@testable import VigilWeb

@Suite("Signing and confirming", .onBothDatabases)
struct SigningFlowTests {
    @Test("sign, read the link from the e-mail, open it (nothing counted yet), press the button, see the thanks and the count go up")
    func wholeFlow() async throws {
        try await TestApp.with { app, client in
            let browser = Browser(client)
            let signed = try await browser.sign(name: "Ani Hakobyan", email: "ani@example.org")
            #expect(signed.status == .seeOther)
            #expect(signed.headers[.location] == "/en/petitions/osce-moscow-mechanism/check-email")
            let checkEmail = try await browser.get("/en/petitions/osce-moscow-mechanism/check-email")
            #expect(checkEmail.body.contains("Check your e-mail"))

            let mail = try #require(try await app.waitForMails(1).first)
            #expect(mail.headers["To"] == "Ani Hakobyan <ani@example.org>")
            #expect(mail.headers["Subject"]?.hasPrefix("Confirm your signature") == true)
            let link = try #require(mail.confirmationPath)

            // Opening the link (as a mail scanner would) changes nothing.
            let confirmPage = try await browser.get(link)
            #expect(confirmPage.status == .ok)
            #expect(confirmPage.body.contains("Confirm my signature"))
            let petition = try await app.petition()
            #expect(app.store.liveCounts.counts(forPetition: petition.id).confirmed == 0)

            let action = try #require(confirmPage.formAction(containing: "/confirm/"))
            let pressed = try await browser.post(action, fields: [("csrf", confirmPage.csrfToken ?? "")])
            #expect(pressed.status == .seeOther)
            let thanks = try await browser.get(try #require(pressed.headers[.location]))
            #expect(thanks.body.contains("You are signer number 1 on this site."))
            #expect(thanks.body.contains("3,808 signatures of 5,500"))
            #expect(thanks.body.contains("https://wa.me/?text="))
            #expect(!thanks.body.contains("<script src=\"http"))

            let count = try await browser.get("/petitions/osce-moscow-mechanism/count.json")
            let json = try JSONSerialization.jsonObject(with: Data(count.body.utf8)) as? [String: Any]
            #expect(json?["signature_count"] as? Int == 1)
            #expect(json?["total_signature_count"] as? Int == 3808)

            // Pressing again is harmless.
            let again = try await browser.post(action, fields: [("csrf", confirmPage.csrfToken ?? "")])
            #expect(again.status == .seeOther)
            #expect(try await browser.get(link).body.contains("signer number 1"))
            #expect(app.store.liveCounts.counts(forPetition: petition.id).confirmed == 1)
            // The confirmation link, then the receipt; pressing again sends nothing more. The worker
            // records a round after writing its files, so wait for the record, not for the files.
            let mails = try await app.deliveredMails()
            #expect(mails.count == 2)
            #expect(mails.last?.body.contains("This e-mail is your receipt") == true)
            #expect(try await app.store.outboxSummary().sent == 2)
        }
    }

    @Test("signing twice shows the same page; the second e-mail says the address already signed")
    func signingTwice() async throws {
        try await TestApp.with { app, client in
            let browser = Browser(client)
            _ = try await browser.sign(email: "twice@example.org")
            let link = try #require(try await app.waitForMails(1).first?.confirmationPath)
            let thanks = try await browser.confirm(link)
            #expect(thanks.body.contains("signer number 1"))
            app.clock.advance(by: 3600)
            let first = try await Browser(client).sign(email: "Twice+again@Example.org")
            #expect(first.status == .seeOther)
            #expect(first.headers[.location] == "/en/petitions/osce-moscow-mechanism/check-email")
            // The link, the receipt, and the notice.
            let mails = try await app.waitForMails(3)
            #expect(mails.count == 3)
            let notice = try #require(mails.first { $0.body.contains("already signed") })
            #expect(notice.confirmationPath == nil)
            let petition = try await app.petition()
            #expect(try await app.store.recount(petitionID: petition.id).confirmed == 1)
        }
    }

    @Test("an expired link says so and leads back to signing")
    func expiredLink() async throws {
        try await TestApp.with { app, client in
            let browser = Browser(client)
            _ = try await browser.sign(email: "late@example.org")
            let link = try #require(try await app.waitForMails(1).first?.confirmationPath)
            app.clock.advance(by: 8 * 24 * 3600)
            let page = try await browser.get(link)
            #expect(page.status == .gone)
            #expect(page.body.contains("This link has expired"))
            #expect(page.body.contains(#"href="/en/petitions/osce-moscow-mechanism""#))
            #expect(!page.body.contains("Confirm my signature"))
        }
    }

    @Test("a made-up confirmation link gets a clear page, and pressing a button on it changes nothing")
    func unknownLink() async throws {
        try await TestApp.with { app, client in
            let browser = Browser(client)
            let fake = "/confirm/" + String(repeating: "A", count: 43)
            let page = try await browser.get(fake)
            #expect(page.status == .notFound)
            #expect(page.body.contains("This link does not work"))
            let garbage = try await browser.get("/confirm/%3Cscript%3E")
            #expect(garbage.status == .notFound)
            #expect(!garbage.body.contains("<script>"))
        }
    }

    @Test("the honeypot holds the signature back silently: same page, no e-mail, not counted")
    func honeypot() async throws {
        try await TestApp.with { app, client in
            let page = try await Browser(client).sign(email: "robot@example.org", extra: [("website", "http://spam.example")])
            #expect(page.status == .seeOther)
            #expect(page.headers[.location] == "/en/petitions/osce-moscow-mechanism/check-email")
            let petition = try await app.petition()
            let recount = try await app.store.recount(petitionID: petition.id)
            #expect(recount.held == 1 && recount.pending == 0 && recount.confirmed == 0)
            try await Task.sleep(for: .milliseconds(200))
            #expect(try app.mails().isEmpty)
        }
    }

    @Test("over the per-address limit, signatures are held back silently; other addresses are not affected")
    func rateLimit() async throws {
        try await TestApp.with(signRateLimit: 2) { app, client in
            let browser = Browser(client, address: "198.51.100.23")
            for index in 0..<3 {
                let page = try await browser.sign(email: "burst\(index)@example.org")
                #expect(page.status == .seeOther)
                #expect(page.headers[.location] == "/en/petitions/osce-moscow-mechanism/check-email")
            }
            let other = try await Browser(client, address: "192.0.2.99").sign(email: "other@example.org")
            #expect(other.status == .seeOther)
            let petition = try await app.petition()
            let recount = try await app.store.recount(petitionID: petition.id)
            #expect(recount.pending == 3)
            #expect(recount.held == 1)
            #expect(app.store.liveCounts.counts(forPetition: petition.id).held == 1)
        }
    }

    @Test("the limit applies to loopback clients too, on a real socket")
    func rateLimitLive() async throws {
        try await TestApp.with(signRateLimit: 1, behindProxy: false, live: true) { app, client in
            let browser = Browser(client)
            _ = try await browser.sign(email: "first@example.org")
            _ = try await browser.sign(email: "second@example.org")
            let petition = try await app.petition()
            let recount = try await app.store.recount(petitionID: petition.id)
            #expect(recount.pending == 1)
            #expect(recount.held == 1)
        }
    }
}
