import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import VigilCore
import VigilStore
import VigilTestSupport
@testable import VigilWeb

@Suite("The partner API", .onBothDatabases)
struct PartnerAPITests {
    static let path = "/api/v1/petitions/osce-moscow-mechanism/signatures"

    static func body(email: String, country: String = "FR", referrer: String? = nil) -> String {
        """
        {"person": {"given_name": "Ani", "family_name": "Hakobyan", "email_addresses": [{"address": "\(email)"}],
          "postal_addresses": [{"country": "\(country)", "locality": "Lyon"}], "languages_spoken": ["hy"]},
         "add_tags": ["newsletter"], "referrer_data": {"source": "spring-mailing"\(referrer.map { ", \"referrer\": \"\($0)\"" } ?? "")}}
        """
    }

    static func push(_ client: some TestClientProtocol, token: String?, body: String) async throws -> (HTTPResponse.Status, [String: Any]) {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        if let token { headers[PartnerAPIController.osdiTokenHeader] = token }
        let response = try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: body))
        return (response.status, (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]) ?? [:])
    }

    static func partner(_ app: TestApp, trusted: Bool) async throws -> (Partner, PartnerToken) {
        let admin = try await app.staff(.admin)
        return try await app.store.createPartner(
            try PartnerDetails.checked(name: "Partner \(trusted)", website: "https://partner.example", contact: "dev@partner.example", trusted: trusted),
            audit: AuditRecord(staffID: admin.member.id, actor: admin.member.email, action: "")
        )
    }

    @Test("a push with a revoked, unknown or missing token is refused and writes nothing")
    func revokedTokenRefused() async throws {
        try await TestApp.with { app, client in
            let (partner, token) = try await Self.partner(app, trusted: true)
            #expect(try await Self.push(client, token: token.text, body: Self.body(email: "first@example.org")).0 == .created)
            _ = try await app.store.revokePartner(id: partner.id, audit: AuditRecord(staffID: 1, actor: "admin", action: ""))

            let (status, problem) = try await Self.push(client, token: token.text, body: Self.body(email: "second@example.org"))
            #expect(status == .unauthorized)
            #expect((problem["detail"] as? String)?.contains("OSDI-API-Token") == true)
            #expect(try await Self.push(client, token: nil, body: Self.body(email: "second@example.org")).0 == .unauthorized)
            #expect(try await Self.push(client, token: "vigil_partner_" + String(repeating: "A", count: 43), body: Self.body(email: "x@example.org")).0 == .unauthorized)
            let petition = try await app.petition()
            #expect(try await app.store.recount(petitionID: petition.id).confirmed == 1)
            #expect(try await app.store.signatureStatus(petitionID: petition.id, email: EmailAddress("second@example.org")) == nil)
        }
    }

    @Test("an untrusted partner's signer gets the confirmation e-mail in their language and counts once confirmed")
    func untrustedConfirms() async throws {
        try await TestApp.with { app, client in
            let lyon = try await CommitteeWebTests.committee(app, code: "lyon")
            let (_, token) = try await Self.partner(app, trusted: false)
            let (status, document) = try await Self.push(client, token: token.text, body: Self.body(email: "ani@example.org", referrer: "lyon"))
            #expect(status == .accepted)
            #expect(document["status"] as? String == "pending_confirmation")
            let petition = try await app.petition()
            #expect(app.store.liveCounts.counts(forPetition: petition.id).confirmed == 0)
            let mail = try await app.confirmationMail(for: "ani@example.org")
            #expect(mail.confirmationPath?.hasPrefix("/hy/confirm/") == true)
            _ = try await Browser(client).confirm(try await app.confirmationLink(for: "ani@example.org"))
            let counts = app.store.liveCounts.counts(forPetition: petition.id)
            #expect(counts.byChannel == ["partner": 1])
            #expect(counts.byCommittee == [lyon.id: 1])
        }
    }

    @Test("bad input is refused with the field named by its OSDI path, and nothing is written")
    func badInput() async throws {
        try await TestApp.with { app, client in
            let (_, token) = try await Self.partner(app, trusted: true)
            let (status, problem) = try await Self.push(client, token: token.text, body: Self.body(email: "not-an-address", country: "XX"))
            #expect(status == .unprocessableContent)
            let detail = problem["detail"] as? String ?? ""
            #expect(detail.contains("person.email_addresses[0].address: not an e-mail address"))
            #expect(detail.contains("person.postal_addresses[0].country"))
            #expect(try await Self.push(client, token: token.text, body: "{\"person\": 7}").0 == .badRequest)
            let tags = (1...21).map { "\"t\($0)\"" }.joined(separator: ",")
            let tooManyTags = Self.body(email: "a@example.org").replacingOccurrences(of: "[\"newsletter\"]", with: "[\(tags)]")
            #expect(try await Self.push(client, token: token.text, body: tooManyTags).0 == .unprocessableContent)
            #expect(try await app.store.recount(petitionID: try await app.petition().id).confirmed == 0)
        }
    }

    @Test("staff register a partner in the console and see its token once; a viewer or editor cannot")
    func console() async throws {
        try await TestApp.with { app, client in
            let admin = Browser(client)
            try await admin.signIn(try await app.staff(.admin), app: app)
            let form = try await admin.get("/admin/partners")
            let created = try await admin.post("/admin/partners", fields: [
                ("csrf", form.csrfToken ?? ""), ("name", "Armenian Cause"), ("website", "https://armeniancause.example"),
                ("contact", "tech@armeniancause.example"),
            ])
            #expect(created.status == .ok)
            let token = try #require(created.body.firstMatch(of: /vigil_partner_[A-Za-z0-9_-]{43}/).map { String($0.output) })
            #expect(try await Self.push(client, token: token, body: Self.body(email: "ani@example.org")).0 == .accepted)
            // The list shows the token's last characters only.
            #expect(!(try await admin.get("/admin/partners").body.contains(token)))

            let refused = try await admin.post("/admin/partners", fields: [
                ("csrf", form.csrfToken ?? ""), ("name", "Other"), ("website", "http://plain.example"), ("contact", "x"),
            ])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains("Give the site&#39;s address starting with https://.") || refused.body.contains("starting with https://"))

            let editor = Browser(client, address: "198.51.100.9")
            try await editor.signIn(try await app.staff(.editor), app: app)
            #expect(try await editor.get("/admin/partners").status == .forbidden)
        }
    }
}
