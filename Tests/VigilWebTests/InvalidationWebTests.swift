import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VigilCore
import VigilStore
@testable import VigilWeb

@Suite("Setting signatures aside, and withdrawing", .onBothDatabases)
struct InvalidationWebTests {
    /// Signs from a client address and confirms through the e-mail; returns the signer's manage link path.
    @discardableResult
    static func confirmed(_ app: TestApp, _ client: any TestClientProtocol, _ email: String, from address: String, country: String = "FR") async throws -> String? {
        let browser = Browser(client, address: address)
        _ = try await browser.sign(email: email, country: country)
        let mail = try await app.confirmationMail(for: email)
        _ = try await browser.confirm(try #require(mail.confirmationPath))
        return mail.signerPagePath
    }

    static func count(_ client: any TestClientProtocol) async throws -> String {
        try await Browser(client).get("/petitions/osce-moscow-mechanism/count.json").body
    }

    @Test("an admin counts a flood from one network, sets it aside with a reason, and undoes it; the public count follows")
    func previewApplyUndo() async throws {
        try await TestApp.with { app, client in
            try await Self.confirmed(app, client, "one@example.org", from: "203.0.113.10")
            try await Self.confirmed(app, client, "two@example.org", from: "203.0.113.200")
            try await Self.confirmed(app, client, "three@example.org", from: "198.51.100.7")
            #expect(try await Self.count(client).contains(#""signature_count":3"#))

            let admin = Browser(client, address: "192.0.2.50")
            try await admin.signIn(try await app.staff(.admin), app: app)
            let form: [(String, String)] = [("petition", "osce-moscow-mechanism"), ("network", "203.0.113.0/24"), ("reason", "one office, two minutes")]
            let preview = try await admin.post("/admin/invalidations", fields: [("csrf", try await admin.csrfToken()), ("action", "preview")] + form)
            #expect(preview.status == .ok)
            #expect(preview.body.contains("Counted signatures that match now: <strong>2</strong>"))
            #expect(preview.field("expected") == "2")
            #expect(try await Self.count(client).contains(#""signature_count":3"#), "a preview changes nothing")

            let applied = try await admin.post(
                "/admin/invalidations", fields: [("csrf", try await admin.csrfToken()), ("action", "apply"), ("expected", "2")] + form
            )
            #expect(applied.status == .seeOther)
            #expect(try await Self.count(client).contains(#""signature_count":1"#))
            let list = try await admin.get("/admin/invalidations?petition=osce-moscow-mechanism&done=1")
            #expect(list.body.contains("network 203.0.113.0/24"))
            #expect(list.body.contains("one office, two minutes"))
            let undo = try #require(list.formAction(containing: "/undo"))
            let audit = try await app.store.auditLog(limit: 10)
            #expect(audit.contains { $0.action == "signatures.invalidated" && $0.details?.contains(#""signatures":"2""#) == true })

            #expect(try await admin.post(undo, fields: [("csrf", try await admin.csrfToken())]).status == .seeOther)
            #expect(try await Self.count(client).contains(#""signature_count":3"#))
            #expect(try await admin.post(undo, fields: [("csrf", try await admin.csrfToken())]).status == .conflict, "a batch is undone once")
            #expect(try await app.store.auditLog(limit: 10).contains { $0.action == "signatures.invalidation-undone" })
        }
    }

    @Test("a bad form, a missing reason or a count that changed since the preview sets nothing aside")
    func badInput() async throws {
        try await TestApp.with { app, client in
            try await Self.confirmed(app, client, "one@example.org", from: "203.0.113.10")
            let admin = Browser(client, address: "192.0.2.51")
            try await admin.signIn(try await app.staff(.admin), app: app)
            let cases: [([(String, String)], HTTPResponse.Status, String)] = [
                ([("network", "203.0.0.0/16")], .unprocessableContent, "Vigil keeps only the /24 or /48"),
                ([("network", "not an address")], .unprocessableContent, "IPv4 or IPv6 address"),
                ([("domain", "nowhere")], .unprocessableContent, "domain name such as example.org"),
                ([("country", "XX")], .unprocessableContent, "Choose a country"),
                ([("from", "29/11/2026")], .unprocessableContent, "Write days as 2026-11-29"),
                ([("from", "2026-12-02"), ("to", "2026-12-01")], .unprocessableContent, "must not come after"),
                ([], .unprocessableContent, "Give at least one criterion"),
                ([("network", "203.0.113.1"), ("expected", "1")], .unprocessableContent, "give a reason"),
                ([("network", "203.0.113.1"), ("expected", "5"), ("reason", "flood")], .conflict, "changed since you counted"),
                ([("petition", "no-such-petition"), ("country", "FR")], .unprocessableContent, "Choose a petition"),
            ]
            for (fields, status, message) in cases {
                var form: [(String, String)] = [("csrf", try await admin.csrfToken()), ("action", "apply")]
                if !fields.contains(where: { $0.0 == "petition" }) { form.append(("petition", "osce-moscow-mechanism")) }
                let page = try await admin.post("/admin/invalidations", fields: form + fields)
                #expect(page.status == status, "\(fields)")
                #expect(page.body.contains(message), "\(fields): \(message)")
            }
            #expect(try await Self.count(client).contains(#""signature_count":1"#))
            let petition = try #require(try await app.store.petition(slug: "osce-moscow-mechanism"))
            #expect(try await app.store.invalidationBatches(petitionID: petition.id, limit: 5).isEmpty)
            let forged = try await admin.post("/admin/invalidations", fields: [("csrf", "forged"), ("action", "apply"), ("network", "203.0.113.1")])
            #expect(forged.status == .forbidden)
        }
    }

    @Test("a signer withdraws through the link in their e-mail: the count goes down, the page says so, signing again counts again")
    func withdrawThroughLink() async throws {
        try await TestApp.with { app, client in
            try await Self.confirmed(app, client, "stays@example.org", from: "198.51.100.1")
            let path = try #require(try await Self.confirmed(app, client, "leaves@example.org", from: "198.51.100.2"))
            #expect(try await Self.count(client).contains(#""signature_count":2"#))
            let browser = Browser(client, address: "198.51.100.2")
            let page = try await browser.get(path)
            #expect(page.body.contains("Withdraw my signature"))
            #expect(try await browser.post(path + "/withdraw", fields: [("csrf", "forged")]).status == .forbidden)
            #expect(try await Self.count(client).contains(#""signature_count":2"#), "a forged form changes nothing")

            let withdrawn = try await browser.post(path + "/withdraw", fields: [("csrf", page.csrfToken ?? "")])
            #expect(withdrawn.status == .ok)
            #expect(withdrawn.body.contains("Your signature is withdrawn"))
            #expect(try await Self.count(client).contains(#""signature_count":1"#))
            let after = try await browser.get(path)
            #expect(after.body.contains("withdrawn by the signer"))
            #expect(!after.body.contains("Withdraw my signature"))
            #expect(try await browser.post(path + "/withdraw", fields: [("csrf", page.csrfToken ?? "")]).status == .conflict)

            // Past the pause between two e-mails about one signature.
            app.clock.advance(by: 11 * 60)
            let first = try await app.confirmationMail(for: "leaves@example.org")
            let again = Browser(client, address: "198.51.100.2")
            _ = try await again.sign(email: "leaves@example.org")
            let fresh = try await app.confirmationMail(for: "leaves@example.org", replacing: first)
            _ = try await again.confirm(try #require(fresh.confirmationPath))
            #expect(try await Self.count(client).contains(#""signature_count":2"#))
        }
    }
}

extension InvalidationWebTests {
    @Test("a network that signs many times in an hour is pointed out on the dashboard, and can be counted and set aside from there")
    func hotspots() async throws {
        try await TestApp.with(configure: { $0.hotspotThreshold = 3 }) { app, client in
            for index in 1...3 {
                try await Self.confirmed(app, client, "busy\(index)@example.org", from: "203.0.113.\(index)")
            }
            try await Self.confirmed(app, client, "calm@example.net", from: "198.51.100.9")
            let admin = Browser(client, address: "192.0.2.52")
            try await admin.signIn(try await app.staff(.admin), app: app)
            let dashboard = try await admin.get("/admin")
            #expect(dashboard.body.contains("One network (a /24 or /48) sent 3 signatures."))
            #expect(dashboard.body.contains("One e-mail domain sent 3 signatures."), "example.org signed three times")
            let review = try #require(
                dashboard.body.firstMatch(of: /href="(\/admin\/invalidations\?petition=osce-moscow-mechanism&amp;network_hash=[0-9a-f]{32})"/)
                    .map { String($0.1).replacingOccurrences(of: "&amp;", with: "&") }
            )
            let form = try await admin.get(review)
            #expect(form.body.contains("The network pointed out on the dashboard"))
            let hash = try #require(form.field("network_hash"))
            let fields: [(String, String)] = [("petition", "osce-moscow-mechanism"), ("network_hash", hash), ("reason", "three in a minute")]
            let preview = try await admin.post("/admin/invalidations", fields: [("csrf", try await admin.csrfToken()), ("action", "preview")] + fields)
            #expect(preview.field("expected") == "3")
            let applied = try await admin.post(
                "/admin/invalidations", fields: [("csrf", try await admin.csrfToken()), ("action", "apply"), ("expected", "3")] + fields
            )
            #expect(applied.status == .seeOther)
            #expect(try await Self.count(client).contains(#""signature_count":1"#))

            let viewer = Browser(client, address: "192.0.2.53")
            try await viewer.signIn(try await app.staff(.viewer), app: app)
            let seen = try await viewer.get("/admin")
            #expect(seen.body.contains("One network (a /24 or /48) sent 3 signatures."))
            #expect(!seen.body.contains("/admin/invalidations?"), "only those who may set signatures aside get the link")
        }
    }
}
