import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VigilCore
import VigilStore
@testable import VigilWeb

@Suite("Signature review", .onBothDatabases)
struct SignatureReviewTests {
    @Test("staff find a signature by any spelling of its address; the search is audited without the address")
    func findByEmail() async throws {
        try await TestApp.with { app, client in
            _ = try await Browser(client).sign(name: "Siranush Petrosyan", email: "siranush.petrosyan+osce@gmail.com", country: "AM")
            let editor = Browser(client)
            try await editor.signIn(try await app.staff(.editor), app: app)
            let page = try await editor.get("/admin/signatures?email=SiranushPetrosyan%40googlemail.com")
            #expect(page.status == .ok)
            #expect(page.body.contains("Siranush Petrosyan"))
            #expect(page.body.contains("waiting for confirmation"))
            #expect(page.headers[.cacheControl] == "no-store")
            let none = try await editor.get("/admin/signatures?email=nobody%40example.org")
            #expect(none.body.contains("This address has not signed."))
            let lookups = try await app.store.auditLog(limit: 50).filter { $0.action == "signature.looked-up" }
            #expect(lookups.count == 2)
            #expect(lookups.allSatisfy { !($0.details ?? "").contains("@") && !($0.subject ?? "").contains("@") })
        }
    }

    @Test("a held signature is listed for review; releasing it sends the confirmation, and it counts once confirmed")
    func releaseHeld() async throws {
        try await TestApp.with { app, client in
            _ = try await Browser(client).sign(name: "Busy Office", email: "office@example.org", extra: [("website", "x")])
            #expect(try app.mails().isEmpty)
            let editor = Browser(client)
            try await editor.signIn(try await app.staff(.editor), app: app)
            let page = try await editor.get("/admin/signatures")
            #expect(page.body.contains("Busy Office"))
            #expect(page.body.contains("the field only robots see was filled in"))
            let id = try #require(page.body.firstMatch(of: /\/admin\/signatures\/(\d+)\/release/).map { String($0.1) })
            let released = try await editor.post("/admin/signatures/\(id)/release", fields: [("csrf", try await editor.csrfToken())])
            #expect(released.headers[.location] == "/admin/signatures?released=1")
            let link = try #require(try await app.waitForMails(1).first?.confirmationPath)
            _ = try await Browser(client).confirm(link)
            let petition = try await app.petition()
            let counts = app.store.liveCounts.counts(forPetition: petition.id)
            #expect(counts.confirmed == 1 && counts.held == 0)
            let again = try await editor.post("/admin/signatures/\(id)/release", fields: [("csrf", try await editor.csrfToken())])
            #expect(again.status == .conflict)
            #expect(try await app.store.auditLog(limit: 50).contains { $0.action == "signature.released" })
        }
    }

    @Test("public names and comments appear on the petition page only once approved")
    func moderation() async throws {
        try await TestApp.with { app, client in
            let signer = Browser(client)
            _ = try await signer.sign(
                name: "Anahit Grigoryan", email: "anahit@example.org", country: "FR",
                extra: [("show_name", "yes"), ("comment", "Bring them home <now>.")]
            )
            _ = try await signer.confirm(try #require(try await app.waitForMails(1).first?.confirmationPath))
            let before = try await Browser(client).get("/petitions/osce-moscow-mechanism")
            #expect(!before.body.contains("Anahit Grigoryan"))
            #expect(!before.body.contains("Bring them home"))

            let editor = Browser(client)
            try await editor.signIn(try await app.staff(.editor), app: app)
            let queue = try await editor.get("/admin/moderation")
            #expect(queue.body.contains("Anahit Grigoryan"))
            #expect(queue.body.contains("Bring them home &lt;now&gt;."))
            let id = try #require(queue.body.firstMatch(of: /\/admin\/moderation\/(\d+)/).map { String($0.1) })
            _ = try await editor.post("/admin/moderation/\(id)", fields: [("csrf", try await editor.csrfToken()), ("name", "approved")])
            _ = try await editor.post("/admin/moderation/\(id)", fields: [("csrf", try await editor.csrfToken()), ("comment", "hidden")])
            let after = try await Browser(client).get("/petitions/osce-moscow-mechanism")
            #expect(after.body.contains("Anahit Grigoryan"))
            #expect(after.body.contains("France"))
            #expect(!after.body.contains("Bring them home"))
            #expect(try await editor.get("/admin/moderation").body.contains("Nothing is waiting."))

            let refused = try await editor.post("/admin/moderation/\(id)", fields: [("csrf", try await editor.csrfToken()), ("name", "none")])
            #expect(refused.status == .badRequest)
        }
    }
}
