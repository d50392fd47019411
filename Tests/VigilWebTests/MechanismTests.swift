import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VigilCore
import VigilTestSupport
@testable import VigilStore
@testable import VigilWeb

@Suite("Moscow Mechanism tracker", .onBothDatabases)
struct MechanismTests {
    static let console = "/admin/mechanism"

    /// The JSON of `/api/v1/mechanism`, decoded loosely so a test reads what was really sent.
    static func document(_ browser: Browser, _ path: String = "/api/v1/mechanism") async throws -> [String: Any] {
        let answer = try await browser.get(path)
        #expect(answer.status == .ok)
        #expect(answer.headers[.contentType] == "application/json; charset=utf-8")
        return try #require(try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any])
    }

    /// A day `days` from the test clock's today, as the console's date field sends it.
    static func day(_ app: TestApp, _ days: Int = 0) -> String {
        TallyDay(app.clock.now.addingTimeInterval(Double(days) * 86_400)).iso
    }

    @Test("the public page explains the mechanism, counts toward paragraphs 9 and 12, lists all 57 States and the sourced invocations")
    func publicPage() async throws {
        try await TestApp.with { _, client in
            let page = try await Browser(client).get("/mechanism")
            #expect(page.status == .ok)
            let body = page.body
            #expect(body.contains("Paragraph 9 of the Moscow Document"))
            #expect(body.contains("A requesting State and 5 others: 6 States in all."))
            #expect(body.contains("Paragraph 12 of the Moscow Document"))
            #expect(body.contains("A requesting State and 9 others: 10 States in all."))
            #expect(body.contains("0 of 10 States committed to invoke"))
            // Paragraph 9's numbers come from secondary sources only, and the page says so.
            let nine = try #require(body.range(of: #"id="paragraph-9""#))
            let twelve = try #require(body.range(of: #"id="paragraph-12""#))
            #expect(body[nine.upperBound..<twelve.lowerBound].contains("Seen only in secondary sources."))
            #expect(body.contains("Unverified: not checked against the text of the Moscow Document."))
            // Every participating State, in one group while nothing is recorded.
            #expect(body.components(separatedBy: #"<span class="mechanism__state">"#).count - 1 == 57)
            #expect(body.contains("Not contacted yet (57)"))
            // The participating State is the Holy See, not the territory's name in country lists.
            #expect(body.contains(#"<span class="mechanism__state">Holy See</span>"#))
            #expect(!body.contains("Vatican"))
            // The article's 19 earlier uses against the 17 sourced.
            #expect(body.contains("speaks of 19 earlier uses"))
            #expect(body.contains("found sources for 17 of them"))
            #expect(body.contains("Turkmenistan"))
            #expect(body.contains(#"id="source-1""#))
            #expect(body.contains(#"href="/en/mechanism">Moscow Mechanism</a>"#))

            let petition = try await Browser(client).get("/petitions/osce-moscow-mechanism")
            #expect(petition.body.contains(#"<a href="/en/mechanism">Which OSCE States have committed to invoke the Moscow Mechanism</a>"#))
        }
    }

    @Test("the page is served in each language, with the explanation in English where it has none")
    func languages() async throws {
        try await TestApp.with { app, client in
            for language in Language.allCases {
                let page = try await Browser(client).get("/\(language.rawValue)/mechanism")
                #expect(page.status == .ok, "\(language)")
                #expect(page.body.contains(#"<html lang="\#(language.tag)">"#), "\(language)")
                let note = app.server.services.renderer.catalogue.text("mechanism_explainer_english", in: language)
                let translated = app.server.services.mechanism?.explainers[language] != nil
                #expect(page.body.contains(note) == !translated, "\(language)")
            }
            #expect(try await Browser(client).get("/ru/mechanism").body.contains("Московский механизм"))
            #expect(try await Browser(client).get("/hy/mechanism").body.contains("Մոսկովյան մեխանիզմ"))
        }
    }

    @Test("staff record changes; statuses and public notes show on the page and in the JSON, internal notes only in the console")
    func recordAndShow() async throws {
        try await TestApp.with { app, client in
            let member = try await app.staff(.coordinator)
            let staff = Browser(client, address: "192.0.2.60")
            try await staff.signIn(member, app: app)
            let form = try await staff.get(Self.console)
            #expect(form.status == .ok)
            let token = try #require(form.csrfToken)
            let secret = "Ambassador asked us not to quote her before the Permanent Council"
            let record = { (country: String, status: String, note: String, visibility: String) in
                try await staff.post(Self.console, fields: [
                    ("csrf", token), ("country", country), ("status", status), ("date", Self.day(app, -2)),
                    ("visibility", visibility), ("note", note),
                ])
            }
            let saved = try await record("FR", "contacted", "Letter sent to the French delegation in Vienna", "public")
            #expect(saved.status == .seeOther)
            #expect(saved.headers[.location] == "/admin/mechanism?saved=1")
            #expect(try await record("FR", "committed", secret, "internal").status == .seeOther)
            for country in ["DE", "NL", "SE", "NO", "IE"] {
                #expect(try await record(country, "committed", "", "public").status == .seeOther)
            }

            let page = try await Browser(client).get("/mechanism").body
            #expect(page.contains("Committed to invoke (6)"))
            #expect(page.contains("Letter sent to the French delegation in Vienna"))
            #expect(page.contains("6 of 6 States committed to invoke"))
            #expect(page.contains("Enough States have committed for this step."))
            #expect(page.contains("6 of 10 States committed to invoke"))
            #expect(page.contains("4 more States are needed."))
            #expect(!page.contains(secret))
            #expect(!page.contains(member.member.email))

            let json = try await Self.document(Browser(client))
            let raw = try await Browser(client).get("/api/v1/mechanism").body
            #expect(!raw.contains(secret))
            #expect(!raw.contains(member.member.email))
            let states = try #require(json["states"] as? [[String: Any]])
            #expect(states.count == 57)
            let france = try #require(states.first { $0["code"] as? String == "FR" })
            #expect(france["status"] as? String == "committed")
            #expect(france["since"] as? String == Self.day(app, -2))
            #expect(states.first { $0["code"] as? String == "VA" }?["name"] as? String == "Holy See")
            let notes = try #require(france["notes"] as? [[String: Any]])
            #expect(notes.count == 1)
            #expect(notes.first?["text"] as? String == "Letter sent to the French delegation in Vienna")
            #expect(notes.first?["status"] as? String == "contacted")
            let counts = try #require(json["status_counts"] as? [String: Int])
            #expect(counts["committed"] == 6 && counts["not-contacted"] == 51)
            let thresholds = try #require(json["thresholds"] as? [[String: Any]])
            #expect(thresholds.map { $0["paragraph"] as? Int } == [9, 12])
            #expect(thresholds.map { $0["required"] as? Int } == [6, 10])
            #expect(thresholds.map { $0["reached"] as? Bool } == [true, false])
            #expect(thresholds.map { $0["verification"] as? String } == ["secondary", "verified"])

            // The console keeps every entry, the internal one marked, and says who recorded it.
            let consolePage = try await staff.get(Self.console).body
            #expect(consolePage.contains(secret))
            #expect(consolePage.contains("Letter sent to the French delegation in Vienna"))
            #expect(consolePage.contains(#"<span class="tag">Internal</span>"#))
            #expect(consolePage.contains("Paragraph 9: 6 of 6 committed · Paragraph 12: 6 of 10 committed"))
            let history = try await app.store.advocacyHistory(for: .staff)
            #expect(history.count == 7)
            #expect(history.filter { $0.country == "FR" }.map(\.status) == [.contacted, .committed])
            #expect(try await app.store.advocacyHistory(for: .public).allSatisfy { $0.note != secret })

            let audited = try await app.store.auditLog(limit: 50).filter { $0.action == "mechanism.status-recorded" }
            #expect(audited.count == 7)
            #expect(audited.allSatisfy { $0.actor == member.member.email })
            #expect(audited.contains { $0.subject == "state:FR" && $0.details?.contains("\"note\":\"internal\"") == true })
            #expect(audited.allSatisfy { $0.details?.contains(secret) != true })
        }
    }

    @Test("every bad form gets a message beside its field and changes nothing; a forged form is refused")
    func badInput() async throws {
        try await TestApp.with { app, client in
            let staff = Browser(client, address: "192.0.2.61")
            try await staff.signIn(try await app.staff(.editor), app: app)
            let token = try #require(try await staff.get(Self.console).csrfToken)
            let good = ["country": "AT", "status": "met", "date": Self.day(app), "visibility": "public", "note": "Met in Vienna"]
            let cases: [(field: String, value: String, message: String)] = [
                ("country", "XX", "Choose one of the participating States."),
                ("country", "BR", "Choose one of the participating States."),
                ("country", "", "Choose one of the participating States."),
                ("status", "invoked", "Choose one of the statuses."),
                ("visibility", "secret", "Choose who may read the note."),
                ("date", "31/12/2025", "Write the day as 2026-11-29."),
                ("date", Self.day(app, 3), "This day is in the future."),
                ("note", String(repeating: "x", count: Store.maximumAdvocacyNote + 1), "2,000"),
            ]
            for bad in cases {
                var fields = good
                fields[bad.field] = bad.value
                let answer = try await staff.post(Self.console, fields: [("csrf", token)] + fields.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
                #expect(answer.status == .unprocessableContent, "\(bad.field)=\(bad.value.prefix(20))")
                #expect(answer.body.contains("field--error"), "\(bad.field)")
                #expect(answer.body.contains(bad.message), "\(bad.field): \(bad.message)")
            }
            let forged = try await staff.post(Self.console, fields: [("csrf", "forged")] + good.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
            #expect(forged.status == .forbidden)
            #expect(try await app.store.advocacyHistory(for: .staff).isEmpty)
            #expect(try await app.store.auditLog(limit: 100).allSatisfy { $0.action != "mechanism.status-recorded" })

            // The form as sent comes back, so nothing typed is lost.
            var fields = good
            fields["status"] = "invoked"
            let again = try await staff.post(Self.console, fields: [("csrf", token)] + fields.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
            #expect(again.body.contains(#"<option value="AT" selected>"#))
            #expect(again.body.contains("Met in Vienna</textarea>"))
        }
    }

    @Test("a viewer may not see or change the tracker")
    func viewerRefused() async throws {
        try await TestApp.with { app, client in
            let viewer = Browser(client, address: "192.0.2.62")
            try await viewer.signIn(try await app.staff(.viewer), app: app)
            #expect(try await viewer.get(Self.console).status == .forbidden)
            let answer = try await viewer.post(Self.console, fields: [
                ("csrf", try await viewer.csrfToken()), ("country", "AT"), ("status", "met"), ("date", Self.day(app)), ("visibility", "public"),
            ])
            #expect(answer.status == .forbidden)
            #expect(try await app.store.advocacyHistory(for: .staff).isEmpty)
            #expect(!(try await viewer.get("/admin").body.contains(#"href="/admin/mechanism""#)))
        }
    }

    @Test("the API is described in openapi.yaml")
    func described() async throws {
        try await TestApp.with { _, client in
            let document = try await Browser(client).get("/api/openapi.yaml").body
            #expect(document.contains("\n  /api/v1/mechanism:\n"))
            #expect(document.contains("\n    Mechanism:\n"))
            let json = try await Self.document(Browser(client), "/api/v1/mechanism?lang=fr")
            #expect(json["language"] as? String == "fr")
            let invocations = try #require(json["invocations"] as? [String: Any])
            #expect(invocations["claimed"] as? Int == 19)
            #expect(invocations["sourced"] as? Int == 17)
            #expect((invocations["entries"] as? [Any])?.count == 17)
            #expect(Set(json.keys) == ["generated_at", "language", "organisation", "thresholds", "status_counts", "states", "explainer", "invocations", "sources"])
        }
    }

    @Test("a campaign without a mechanism folder serves no tracker")
    func withoutTracker() async throws {
        let content = try TestStore.copyOfContent()
        try FileManager.default.removeItem(at: content.appendingPathComponent("mechanism"))
        defer { try? FileManager.default.removeItem(at: content) }
        try await TestApp.with(content: content) { _, client in
            let page = try await Browser(client).get("/mechanism")
            let api = try await Browser(client).get("/api/v1/mechanism")
            #expect(page.status == .notFound)
            #expect(api.status == .notFound)
        }
    }
}
