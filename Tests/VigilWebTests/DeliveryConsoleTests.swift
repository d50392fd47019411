import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VigilCore
@testable import VigilStore
@testable import VigilWeb

@Suite("Delivery console", .onBothDatabases)
struct DeliveryConsoleTests {
    static let slug = "osce-moscow-mechanism"
    static let deliveries = "/admin/petitions/osce-moscow-mechanism/deliveries"
    static let office = "The Chairperson-in-Office of the OSCE"

    /// What the scratch folder holds: nothing, once every download is sent.
    static func scratchFiles(_ app: TestApp) -> [String] {
        (try? FileManager.default.subpathsOfDirectory(atPath: app.folder.appendingPathComponent("tmp").path)) ?? []
    }

    @Test("the petition page's button downloads a dossier that verifies, written in the audit log, leaving no file behind")
    func dossierDownload() async throws {
        try await TestApp.with { app, client in
            try await app.signAndConfirm(client, email: "named@example.org", country: "AM", listed: true)
            try await app.signAndConfirm(client, email: "quiet@example.org", country: "FR")
            let editor = Browser(client)
            let member = try await app.staff(.editor)
            try await editor.signIn(member, app: app)

            let page = try await editor.get("/admin/petitions/\(Self.slug)")
            #expect(page.body.contains("Delivery dossier"))
            #expect(page.body.contains(#"href="\#(Self.deliveries)""#))
            let action = try #require(page.formAction(containing: "/dossier"))
            let download = try await editor.post(action, fields: [("csrf", try #require(page.csrfToken))])

            #expect(download.status == .ok)
            #expect(download.headers[.contentType] == "application/zip")
            let day = TallyDay(app.clock.now).iso
            #expect(download.headers[.contentDisposition] == "attachment; filename=\"\(Self.slug)-dossier-\(day).zip\"")
            #expect(download.headers[.cacheControl] == "no-store")
            let zip = app.folder.appendingPathComponent("downloaded.zip")
            try Data(download.bytes).write(to: zip)
            let report = DossierVerifier.verify(archive: zip, expectedKey: try app.logKey().publicKey)
            #expect(report.passed, "\(report.checks.filter { !$0.passed }.map(\.detail))")
            #expect(report.totals?.counted == 2)
            #expect(report.treeHead?.head.size == 2)
            #expect(Self.scratchFiles(app).isEmpty, "left behind: \(Self.scratchFiles(app))")

            let built = try #require(try await app.store.auditLog(limit: 5).first { $0.action == "dossier.built" })
            #expect(built.actor == member.member.email)
            #expect(built.subject == "petition:\(Self.slug)")
            #expect(built.details?.contains(report.treeHead?.head.root.hex ?? "-") == true)
        }
    }

    @Test("viewers and coordinators may neither build the dossier nor see deliveries; a post without the form token is refused")
    func refusals() async throws {
        try await TestApp.with { app, client in
            for role in [StaffRole.viewer, .coordinator] {
                let browser = Browser(client, address: role == .viewer ? "192.0.2.50" : "192.0.2.51")
                try await browser.signIn(try await app.staff(role), app: app)
                let token = try await browser.csrfToken()
                #expect(try await browser.post("/admin/petitions/\(Self.slug)/dossier", fields: [("csrf", token)]).status == .forbidden)
                #expect(try await browser.get(Self.deliveries).status == .forbidden)
                #expect(try await browser.post(Self.deliveries, fields: [
                    ("csrf", token), ("addressee", "1"), ("date", "2026-01-05"), ("method", "email"),
                ]).status == .forbidden)
            }
            let editor = Browser(client)
            try await editor.signIn(try await app.staff(.editor), app: app)
            #expect(try await editor.post("/admin/petitions/\(Self.slug)/dossier", fields: [("csrf", "forged")]).status == .forbidden)
            #expect(try await editor.post("/admin/petitions/no-such-petition/dossier", fields: [
                ("csrf", try await editor.csrfToken()),
            ]).status == .notFound)
            #expect(try await app.store.auditLog(limit: 50).allSatisfy { $0.action != "dossier.built" })
            #expect(Self.scratchFiles(app).isEmpty)
        }
    }

    @Test("what the Deliveries page records is audited and shows at once on the petition page, notes apart")
    func recordAndShow() async throws {
        try await TestApp.with { app, client in
            let visitor = Browser(client, address: "192.0.2.60")
            // Read once so that the page's timeline is cached before anything is recorded.
            let before = try await visitor.get("/petitions/\(Self.slug)")
            #expect(before.status == .ok && !before.body.contains("What happened"))

            let editor = Browser(client)
            let member = try await app.staff(.editor)
            try await editor.signIn(member, app: app)
            let empty = try await editor.get(Self.deliveries)
            #expect(empty.status == .ok)
            #expect(empty.body.contains(Self.office))
            #expect(empty.body.contains("Not delivered yet."))
            let petitionID = try await app.petition().id
            let office = try #require(try await app.store.addressees(petitionID: petitionID).first { $0.name == Self.office })
            #expect(empty.body.contains(#"<option value="\#(office.id)">\#(Self.office)</option>"#))

            let day = TallyDay(app.clock.now).iso
            let recorded = try await editor.post(Self.deliveries, fields: [
                ("csrf", try #require(empty.csrfToken)), ("addressee", String(office.id)), ("date", day), ("method", "email"),
                ("reference", "CiO-2026-117"), ("note", "handed over by Anna"),
            ])
            #expect(recorded.status == .seeOther)
            #expect(recorded.headers[.location] == "\(Self.deliveries)?saved=delivery")
            let after = try await editor.get(try #require(recorded.headers[.location]))
            #expect(after.body.contains("The delivery is recorded"))
            #expect(after.body.contains("Delivered by e-mail, reference CiO-2026-117."))
            #expect(after.body.contains("handed over by Anna"))

            let delegation = try await editor.post("\(Self.deliveries)/delegations", fields: [
                ("csrf", try await editor.csrfToken()), ("name", "Permanent Mission of France to the OSCE"), ("country", "fr"),
            ])
            #expect(delegation.headers[.location] == "\(Self.deliveries)?saved=delegation")
            let france = try #require(try await app.store.addressees(petitionID: petitionID).last)
            #expect(france.kind == .delegation && france.country == "FR")
            #expect(try await editor.get(Self.deliveries).body.contains("National delegation of France"))

            let answered = try await editor.post("\(Self.deliveries)/answers", fields: [
                ("csrf", try await editor.csrfToken()), ("addressee", String(france.id)), ("date", day),
                ("summary", "The Mission will raise the case at the Permanent Council."), ("reference", ""),
            ])
            #expect(answered.headers[.location] == "\(Self.deliveries)?saved=answer")

            let publicPage = try await visitor.get("/petitions/\(Self.slug)").body
            #expect(publicPage.contains("What happened"))
            #expect(publicPage.contains("The petition was delivered to \(Self.office) (by e-mail, reference CiO-2026-117)."))
            #expect(publicPage.contains("Permanent Mission of France to the OSCE answered: The Mission will raise the case at the Permanent Council."))
            #expect(!publicPage.contains("handed over by Anna"))

            let audit = try await app.store.auditLog(limit: 10).filter { $0.action.hasPrefix("delivery.") }
            #expect(audit.map(\.action) == ["delivery.answer-recorded", "delivery.delegation-added", "delivery.recorded"])
            #expect(audit.allSatisfy { $0.actor == member.member.email && $0.subject == "petition:\(Self.slug)" })
        }
    }

    @Test("bad input on the Deliveries page gets a message beside the field, keeps what was typed, and changes nothing")
    func badInput() async throws {
        try await TestApp.with { app, client in
            let editor = Browser(client)
            try await editor.signIn(try await app.staff(.editor), app: app)
            // A second petition, whose addressee is not the first one's.
            _ = try await editor.post("/admin/petitions", fields: [
                ("csrf", try await editor.csrfToken()), ("slug", "free-the-journalists"), ("language", "en"), ("goal", "1000"),
                ("title", "Free the journalists"), ("summary", "Three reporters are held."), ("addressees", "The minister"),
                ("action", "We ask for their release."),
            ])
            #expect(try await editor.get("/admin/petitions/free-the-journalists/deliveries").body.contains("The minister"))
            let other = try #require(try await app.store.petition(slug: "free-the-journalists"))
            let minister = try #require(try await app.store.addressees(petitionID: other.id).first)
            let page = try await editor.get(Self.deliveries)
            let petitionID = try await app.petition().id
            let addressees = try await app.store.addressees(petitionID: petitionID)
            let office = String(try #require(addressees.first).id)
            let today = TallyDay(app.clock.now).iso
            let nextMonth = TallyDay(app.clock.now.addingTimeInterval(30 * 86_400)).iso
            let long = String(repeating: "r", count: Store.maximumDeliveryText + 1)
            let delivery = { (changes: [String: String]) -> [(String, String)] in
                ["addressee": office, "date": today, "method": "post", "reference": "kept-\(changes.count)"]
                    .merging(changes) { $1 }.sorted { $0.key < $1.key }
            }
            let cases: [(path: String, fields: [(String, String)], message: String)] = [
                (Self.deliveries, delivery(["addressee": ""]), "Choose an addressee from the list."),
                (Self.deliveries, delivery(["addressee": "abc"]), "Choose an addressee from the list."),
                (Self.deliveries, delivery(["addressee": "999999"]), "Choose an addressee from the list."),
                (Self.deliveries, delivery(["addressee": String(minister.id)]), "Choose an addressee from the list."),
                (Self.deliveries, delivery(["date": "29/11/2026"]), "Write the day as 2026-11-29."),
                (Self.deliveries, delivery(["date": "2026-02-30"]), "Write the day as 2026-11-29."),
                (Self.deliveries, delivery(["date": nextMonth]), "This day is in the future."),
                (Self.deliveries, delivery(["method": "pigeon"]), "Choose how the petition was delivered."),
                (Self.deliveries, delivery(["reference": long]), "Please use at most 2,000 characters."),
                (Self.deliveries, delivery(["note": long]), "Please use at most 2,000 characters."),
                ("\(Self.deliveries)/answers", [("addressee", office), ("date", today), ("summary", "   "), ("reference", "kept-a")],
                 "Please fill in this field."),
                ("\(Self.deliveries)/answers", [("addressee", office), ("date", "tomorrow"), ("summary", "Noted."), ("reference", "kept-b")],
                 "Write the day as 2026-11-29."),
                ("\(Self.deliveries)/delegations", [("name", " "), ("country", "FR")], "Please fill in this field."),
                ("\(Self.deliveries)/delegations", [("name", "Mission of Nowhere"), ("country", "XX")],
                 "Choose the delegation's country from the list."),
                ("\(Self.deliveries)/delegations", [("name", Self.office), ("country", "FR")],
                 "The petition already has an addressee with this name."),
            ]
            for (path, fields, message) in cases {
                let refused = try await editor.post(path, fields: [("csrf", try #require(page.csrfToken))] + fields)
                let body = PetitionEditorTests.unescape(refused.body)
                let name = "\(path) \(fields)".prefix(160)
                #expect(refused.status == .unprocessableContent, "\(name)")
                #expect(body.contains(#"<p class="field__error">\#(message)</p>"#), "\(name)")
                #expect(body.contains(#"<p class="error-summary" role="alert">\#(message)</p>"#), "\(name)")
                for (field, value) in fields where field == "reference" && value.hasPrefix("kept") {
                    #expect(body.contains(#"value="\#(value)""#), "\(name): the reference typed is not kept")
                }
            }
            #expect(try await editor.post(Self.deliveries, fields: delivery([:])).status == .forbidden, "no form token")

            #expect(try await app.store.addressees(petitionID: petitionID) == addressees)
            #expect(try await app.store.deliveries(petitionID: petitionID).isEmpty)
            #expect(try await app.store.deliveryAnswers(petitionID: petitionID).isEmpty)
            #expect(try await app.store.auditLog(limit: 50).allSatisfy { !$0.action.hasPrefix("delivery.") })
            let publicPage = try await Browser(client).get("/petitions/\(Self.slug)")
            #expect(publicPage.status == .ok && !publicPage.body.contains("What happened"))
        }
    }
}
