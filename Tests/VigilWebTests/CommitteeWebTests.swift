import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VigilCore
import VigilStore
import VigilTestSupport
@testable import VigilWeb

@Suite("Committees on the web", .onBothDatabases)
struct CommitteeWebTests {
    static let audit = AuditRecord(staffID: nil, actor: "test", action: "")

    /// Creates a committee for the campaign's petition and has the server pick it up, as the
    /// console does after saving one.
    static func committee(
        _ app: TestApp, code: String, name: String = "Comité Arménie Lyon", shown: Bool = true
    ) async throws -> Committee {
        let committee = try await app.store.createCommittee(
            petitionID: try await app.petition().id,
            code: CommitteeCode(code),
            details: try CommitteeDetails.checked(
                name: name, city: "Lyon", country: "FR", contact: "", languages: ["fr"], goal: "100", shownInLeague: shown
            ),
            audit: audit
        )
        try await app.server.services.committees.reload()
        return committee
    }

    @Test("the referral link opens the petition with the committee in the sign form; signing there credits it once confirmed")
    func referralCredits() async throws {
        try await TestApp.with { app, client in
            let committee = try await Self.committee(app, code: "lyon")
            let browser = Browser(client)
            let page = try await browser.get("/c/LYON")
            #expect(page.status == .ok)
            #expect(page.field("committee") == "lyon")
            #expect(page.body.contains("You came through the link of Comité Arménie Lyon (Lyon, France)."))
            // The plain petition page credits no one.
            #expect(try await browser.get("/petitions/osce-moscow-mechanism").field("committee") == nil)
            #expect(try await browser.get("/c/nobody").status == .notFound)

            let signed = try await browser.post("/petitions/osce-moscow-mechanism/signatures", fields: [
                ("csrf", page.csrfToken ?? ""), ("lang", "en"), ("name", "Ani Hakobyan"), ("email", "ani@example.org"),
                ("country", "FR"), ("committee", "lyon"),
            ])
            #expect(signed.status == .seeOther)
            let petition = try await app.petition()
            #expect(app.store.liveCounts.counts(forPetition: petition.id).byCommittee.isEmpty)
            _ = try await browser.confirm(try await app.confirmationLink(for: "ani@example.org"))
            #expect(app.store.liveCounts.counts(forPetition: petition.id).byCommittee == [committee.id: 1])
        }
    }

    @Test("a committee code that names no committee is ignored: the signature counts, for no committee")
    func unknownCodeCreditsNoOne() async throws {
        try await TestApp.with { app, client in
            _ = try await Self.committee(app, code: "lyon")
            _ = try await app.signAndConfirm(client, email: "forged@example.org")
            let browser = Browser(client)
            _ = try await browser.sign(email: "other@example.org", extra: [("committee", "no-such-committee")])
            _ = try await browser.confirm(try await app.confirmationLink(for: "other@example.org"))
            let counts = app.store.liveCounts.counts(forPetition: try await app.petition().id)
            #expect(counts.confirmed == 2)
            #expect(counts.byCommittee.isEmpty)
        }
    }

    @Test("the petition page lists the committees that agreed to be shown, most signatures first, in the page's language")
    func league() async throws {
        try await TestApp.with { app, client in
            let lyon = try await Self.committee(app, code: "lyon", name: "Comité Arménie Lyon")
            _ = try await Self.committee(app, code: "paris", name: "Comité Arménie Paris")
            _ = try await Self.committee(app, code: "hidden", name: "Quiet Committee", shown: false)
            let browser = Browser(client)
            _ = try await browser.sign(email: "lyon@example.org", extra: [("committee", lyon.code.text)])
            _ = try await browser.confirm(try await app.confirmationLink(for: "lyon@example.org"))

            let page = try await browser.get("/petitions/osce-moscow-mechanism").body
            #expect(page.contains("Committees carrying this petition"))
            let lyonAt = try #require(page.range(of: "Comité Arménie Lyon"))
            let parisAt = try #require(page.range(of: "Comité Arménie Paris"))
            #expect(lyonAt.lowerBound < parisAt.lowerBound)
            #expect(page.contains("1 signature<") && page.contains("0 signatures<"))
            #expect(!page.contains("Quiet Committee"))
            let russian = try await browser.get("/ru/petitions/osce-moscow-mechanism").body
            #expect(russian.contains("Комитеты, которые распространяют эту петицию"))
            #expect(russian.contains("Лион, Франция") || russian.contains("Lyon, Франция"))

            let answer = try await browser.get("/petitions/osce-moscow-mechanism/committees.json")
            #expect(answer.headers[.accessControlAllowOrigin] == "*")
            let document = try #require(try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any])
            #expect(document["credited_signature_count"] as? Int == 1)
            let listed = try #require(document["committees"] as? [[String: Any]])
            #expect(listed.map { $0["code"] as? String } == ["lyon", "paris"])
            #expect(listed.first?["signature_count"] as? Int == 1)
            #expect(listed.first?["referral_url"] as? String == "https://petition.example.org/c/lyon")
            #expect(listed.first?["goal"] as? Int == 100)
            let etag = try #require(answer.headers[.eTag])
            #expect(try await browser.get("/petitions/osce-moscow-mechanism/committees.json", headers: [.ifNoneMatch: etag]).status == .notModified)
        }
    }

    @Test("the QR code is an SVG of the absolute referral link, and a real decoder reads the link back",
          .enabled(if: QRDecoder.isAvailable, QRDecoder.unavailableReason))
    func qrCodeDecodes() async throws {
        try await TestApp.with { app, client in
            _ = try await Self.committee(app, code: "lyon-7k2q")
            let answer = try await Browser(client).get("/c/lyon-7k2q/qr.svg")
            #expect(answer.status == .ok)
            #expect(answer.headers[.contentType] == "image/svg+xml")
            #expect(try QRDecoder.decode(svg: answer.body) == "https://petition.example.org/c/lyon-7k2q")
            #expect(try await Browser(client).get("/c/nobody/qr.svg").status == .notFound)
        }
    }

    @Test("an editor creates a committee in the console; a refused form names the field and creates nothing")
    func consoleCreates() async throws {
        try await TestApp.with { app, client in
            let browser = Browser(client)
            try await browser.signIn(try await app.staff(.editor), app: app)
            let form = try await browser.get("/admin/committees")
            #expect(form.status == .ok)
            let refused = try await browser.post("/admin/committees", fields: [
                ("csrf", form.csrfToken ?? ""), ("name", "Comité de Marseille"), ("city", "Marseille"), ("country", "FR"),
            ])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains("Choose at least one language the committee works in."))
            #expect(refused.body.contains("value=\"Comité de Marseille\""))
            let badCode = try await browser.post("/admin/committees", fields: [
                ("csrf", form.csrfToken ?? ""), ("name", "Comité de Marseille"), ("city", "Marseille"), ("country", "FR"),
                ("language-fr", "on"), ("code", "-bad"),
            ])
            #expect(badCode.status == .unprocessableContent)
            #expect(try await app.store.committees().isEmpty)

            let created = try await browser.post("/admin/committees", fields: [
                ("csrf", form.csrfToken ?? ""), ("name", "Comité de Marseille"), ("city", "Marseille"), ("country", "FR"),
                ("language-fr", "on"), ("language-hy", "on"), ("goal", "250"), ("code", "Marseille"), ("shown", "on"),
            ])
            #expect(created.status == .seeOther)
            let committee = try #require(try await app.store.committees().first)
            #expect(created.headers[.location] == "/admin/committees/\(committee.id)?saved=1")
            #expect(committee.code.text == "marseille")
            #expect(committee.details.languages == [.armenian, .french])
            #expect(committee.details.goal == 250 && committee.details.shownInLeague)

            let page = try await browser.get("/admin/committees/\(committee.id)")
            #expect(page.body.contains("https://petition.example.org/c/marseille"))
            #expect(page.body.contains("src=\"/c/marseille/qr.svg\""))
            // The server took the new committee at once: its link works.
            #expect(try await browser.get("/c/marseille").status == .ok)
        }
    }

    @Test("a coordinator sees their own committee's page, without the edit form, and no other committee")
    func coordinatorSeesOwnOnly() async throws {
        try await TestApp.with { app, client in
            let lyon = try await Self.committee(app, code: "lyon")
            let paris = try await Self.committee(app, code: "paris", name: "Comité Arménie Paris")
            let browser = Browser(client)
            try await browser.signIn(try await app.staff(.coordinator, committeeID: lyon.id), app: app)
            let own = try await browser.get("/admin/committees/\(lyon.id)")
            #expect(own.status == .ok)
            #expect(own.body.contains("Comité Arménie Lyon"))
            #expect(own.body.contains("href=\"/admin/committees/\(lyon.id)\""))
            #expect(!own.body.contains("Change the details"))
            #expect(try await browser.get("/admin/committees/\(paris.id)").status == .forbidden)
            #expect(try await browser.get("/admin/committees").status == .forbidden)
            let change = try await browser.post("/admin/committees/\(lyon.id)", fields: [
                ("csrf", own.csrfToken ?? ""), ("name", "Renamed"), ("city", "Lyon"), ("country", "FR"), ("language-fr", "on"),
            ])
            #expect(change.status == .forbidden)
            #expect(try await app.store.committee(id: lyon.id)?.details.name == "Comité Arménie Lyon")
        }
    }

    @Test("the console answers in the language the member chose, refusals included, and remembers it")
    func consoleLanguage() async throws {
        try await TestApp.with { app, client in
            let browser = Browser(client)
            try await browser.signIn(try await app.staff(.editor), app: app)
            // Console pages have no prefixed address (the session cookie is scoped to /admin):
            // a prefixed one records the language and leads to the console's own.
            let switched = try await browser.get("/ru/admin/committees")
            #expect(switched.status == .seeOther)
            #expect(switched.headers[.location] == "/admin/committees")
            #expect(switched.headers[values: .setCookie].contains { $0.hasPrefix("vigil_lang=ru") })
            let russian = try await browser.get("/admin/committees")
            #expect(russian.status == .ok)
            #expect(russian.body.contains(#"<html lang="ru">"#))
            #expect(russian.body.contains("Местные комитеты"))
            #expect(russian.body.contains(#"hreflang="hy""#), "no way to switch language")
            // The form posts to the unprefixed address: the language cookie keeps the choice.
            let refused = try await browser.post("/admin/committees", fields: [
                ("csrf", russian.csrfToken ?? ""), ("name", "Комитет"), ("city", "Москва"), ("country", "RU"),
            ])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains("Выберите хотя бы один рабочий язык комитета."))
            #expect(try await browser.get("/hy/admin").headers[.location] == "/admin")
            let armenian = try await browser.get("/admin")
            #expect(armenian.body.contains(#"<html lang="hy">"#))
            #expect(armenian.body.contains("Կոմիտեներ"))
        }
    }

    @Test("a coordinator's account must name the committee they look after")
    func coordinatorNeedsCommittee() async throws {
        try await TestApp.with { app, client in
            let lyon = try await Self.committee(app, code: "lyon")
            let browser = Browser(client)
            try await browser.signIn(try await app.staff(.admin), app: app)
            let token = try await browser.csrfToken()
            let refused = try await browser.post("/admin/staff", fields: [("csrf", token), ("email", "coord@example.org"), ("role", "coordinator")])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains("A coordinator looks after one committee: choose it."))
            let invited = try await browser.post("/admin/staff", fields: [
                ("csrf", token), ("email", "coord@example.org"), ("role", "coordinator"), ("committee", String(lyon.id)),
            ])
            #expect(invited.status == .ok)
            let member = try #require(try await app.store.staffMembers().first { $0.email == "coord@example.org" })
            #expect(member.committeeID == lyon.id)
        }
    }
}
