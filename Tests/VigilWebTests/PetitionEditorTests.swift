import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VigilCore
@testable import VigilStore
@testable import VigilWeb

@Suite("Petition editor", .onBothDatabases)
struct PetitionEditorTests {
    static let slug = "osce-moscow-mechanism"

    /// The fields of the English text as the edit page shows them, with some replaced.
    static func textFields(_ page: Browser.Page, csrf: String, replacing: [String: String]) -> [(String, String)] {
        var fields: [String: String] = ["csrf": csrf]
        for name in ["title", "explainer_title"] {
            fields[name] = page.field(name).map(Self.unescape) ?? ""
        }
        for name in ["summary", "addressees", "action", "background", "explainer", "sources"] {
            let pattern = #"id="\#(name)-en" name="\#(name)" rows="\d+">([^<]*)</textarea>"#
            if let match = page.body.firstMatch(of: try! Regex(pattern)), let text = match.output[1].substring {
                fields[name] = Self.unescape(String(text))
            }
        }
        for (name, value) in replacing { fields[name] = value }
        return fields.sorted { $0.key < $1.key }
    }

    static func unescape(_ html: String) -> String {
        html.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    @Test("changing an open petition's text makes a new version; signatures keep the version they were shown")
    func versionedText() async throws {
        try await TestApp.with { app, client in
            let signer = Browser(client, address: "192.0.2.200")
            _ = try await signer.sign(email: "before@example.org")

            let editor = Browser(client)
            try await editor.signIn(try await app.staff(.editor), app: app)
            let page = try await editor.get("/admin/petitions/\(Self.slug)")
            #expect(page.status == .ok)
            #expect(page.body.contains("versions so far: 1"))
            let saved = try await editor.post(
                "/admin/petitions/\(Self.slug)/texts/en",
                fields: Self.textFields(page, csrf: try await editor.csrfToken(), replacing: ["title": "A clearer title for the same ask"])
            )
            #expect(saved.headers[.location] == "/admin/petitions/\(Self.slug)?saved=text")
            #expect(try await editor.get("/admin/petitions/\(Self.slug)").body.contains("versions so far: 2"))

            let publicPage = try await Browser(client).get("/petitions/\(Self.slug)")
            #expect(publicPage.body.contains("<h1>A clearer title for the same ask</h1>"))
            _ = try await signer.sign(email: "after@example.org")

            let petition = try await app.petition()
            let hashes = try await app.store.reader.raw(
                "SELECT text_hash FROM signatures WHERE petition_id = \(bind: petition.id) ORDER BY id"
            ).all().map { try $0.decode(column: "text_hash", as: String.self) }
            let current = try #require(try await app.store.currentText(petitionID: petition.id, language: .english))
            #expect(hashes.count == 2)
            #expect(hashes[0] != hashes[1])
            #expect(hashes[1] == current.versionHash)

            let audit = try await app.store.auditLog(limit: 20).map(\.action)
            #expect(audit.contains("petition.text-saved"))
        }
    }

    @Test("a text with problems is shown again with messages and nothing is saved")
    func invalidText() async throws {
        try await TestApp.with { app, client in
            let editor = Browser(client)
            try await editor.signIn(try await app.staff(.editor), app: app)
            let page = try await editor.get("/admin/petitions/\(Self.slug)")
            let refused = try await editor.post(
                "/admin/petitions/\(Self.slug)/texts/en",
                fields: Self.textFields(page, csrf: try await editor.csrfToken(), replacing: [
                    "title": "", "sources": "no bar here",
                ])
            )
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains("Please fill in this field."))
            #expect(refused.body.contains("Line 1 of the sources"))
            #expect(try await editor.get("/admin/petitions/\(Self.slug)").body.contains("versions so far: 1"))
        }
    }

    @Test("a new petition is a draft nobody outside sees until an admin opens it")
    func draftLifecycle() async throws {
        try await TestApp.with { app, client in
            let editor = Browser(client)
            try await editor.signIn(try await app.staff(.editor), app: app)
            let created = try await editor.post("/admin/petitions", fields: [
                ("csrf", try await editor.csrfToken()), ("slug", "free-the-journalists"), ("language", "en"), ("goal", "1000"),
                ("title", "Free the journalists"), ("summary", "Three reporters are held."), ("addressees", "The minister"),
                ("action", "We ask for their release."),
            ])
            #expect(created.headers[.location] == "/admin/petitions/free-the-journalists")
            #expect(try await Browser(client).get("/petitions/free-the-journalists").status == .notFound)
            #expect(try await Browser(client).get("/petitions/free-the-journalists/count.json").status == .notFound)
            // Editors may not open petitions.
            let refused = try await editor.post("/admin/petitions/free-the-journalists/state", fields: [
                ("csrf", try await editor.csrfToken()), ("state", "open"),
            ])
            #expect(refused.status == .forbidden)

            let admin = Browser(client)
            try await admin.signIn(try await app.staff(.admin), app: app)
            let opened = try await admin.post("/admin/petitions/free-the-journalists/state", fields: [
                ("csrf", try await admin.csrfToken()), ("state", "open"),
            ])
            #expect(opened.headers[.location] == "/admin/petitions/free-the-journalists?saved=state")
            let page = try await Browser(client).get("/petitions/free-the-journalists")
            #expect(page.status == .ok)
            #expect(page.body.contains("Free the journalists"))

            _ = try await admin.post("/admin/petitions/free-the-journalists/state", fields: [("csrf", try await admin.csrfToken()), ("state", "closed")])
            _ = try await admin.post("/admin/petitions/free-the-journalists/state", fields: [("csrf", try await admin.csrfToken()), ("state", "delivered")])
            let backwards = try await admin.post("/admin/petitions/free-the-journalists/state", fields: [
                ("csrf", try await admin.csrfToken()), ("state", "open"),
            ])
            #expect(backwards.status == .conflict)
            #expect(try await app.store.petition(slug: "free-the-journalists")?.state == .delivered)

            let taken = try await admin.post("/admin/petitions", fields: [
                ("csrf", try await admin.csrfToken()), ("slug", "free-the-journalists"), ("language", "en"), ("goal", "10"),
                ("title", "Again"), ("summary", "Again."), ("addressees", "Someone"), ("action", "Again."),
            ])
            #expect(taken.status == .unprocessableContent)
            #expect(taken.body.contains("Another petition has this short name"))
        }
    }

    @Test("a new external tally figure counts toward the goal at once; earlier figures stay in its history")
    func externalTally() async throws {
        try await TestApp.with { app, client in
            let editor = Browser(client)
            try await editor.signIn(try await app.staff(.editor), app: app)
            let before = try await Browser(client).get("/petitions/\(Self.slug)/count.json")
            #expect(before.body.contains(#""external_signature_count":3807"#))
            let recorded = try await editor.post("/admin/petitions/\(Self.slug)/tallies", fields: [
                ("csrf", try await editor.csrfToken()), ("source", "armeniancause.net"), ("url", "https://armeniancause.net"),
                ("count", "4120"), ("counted_on", "2026-11-30"), ("note", "Figure given by the network's office."),
            ])
            #expect(recorded.headers[.location] == "/admin/petitions/\(Self.slug)?saved=tally")
            let count = try await Browser(client).get("/petitions/\(Self.slug)/count.json")
            #expect(count.body.contains(#""external_signature_count":4120"#))
            #expect(try await Browser(client).get("/petitions/\(Self.slug)").body.contains("4,120 signatures of 5,500"))
            let history = try await editor.get("/admin/petitions/\(Self.slug)")
            #expect(history.body.contains("4,120"))
            #expect(history.body.contains("3,807"))

            let refused = try await editor.post("/admin/petitions/\(Self.slug)/tallies", fields: [
                ("csrf", try await editor.csrfToken()), ("source", "elsewhere"), ("count", "many"), ("counted_on", "2026-02-30"),
            ])
            #expect(refused.status == .unprocessableContent)
            #expect(try await app.store.externalTallyHistory(petitionID: try await app.petition().id).count == 2)
        }
    }

    @Test("the goal changes on the public page at once")
    func goal() async throws {
        try await TestApp.with { app, client in
            let editor = Browser(client)
            try await editor.signIn(try await app.staff(.editor), app: app)
            _ = try await editor.post("/admin/petitions/\(Self.slug)/goal", fields: [("csrf", try await editor.csrfToken()), ("goal", "10000")])
            #expect(try await Browser(client).get("/petitions/\(Self.slug)").body.contains("3,807 signatures of 10,000"))
            let zero = try await editor.post("/admin/petitions/\(Self.slug)/goal", fields: [("csrf", try await editor.csrfToken()), ("goal", "0")])
            #expect(zero.status == .unprocessableContent)
        }
    }
}
