import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import VigilCore
import VigilStore
@testable import VigilWeb

@Suite("Bad input", .onBothDatabases)
struct BadInputTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let label: String
        let fields: [(String, String)]
        let field: String
        let message: String
        var testDescription: String { label }
    }

    static let formCases: [Case] = [
        Case(label: "empty name", fields: [("name", "  ")], field: "name", message: "Please fill in this field."),
        Case(label: "name over 200", fields: [("name", String(repeating: "n", count: 201))], field: "name", message: "at most 200 characters"),
        Case(label: "city over 100", fields: [("city", String(repeating: "c", count: 101))], field: "city", message: "at most 100 characters"),
        Case(label: "comment over 500", fields: [("comment", String(repeating: "w", count: 501))], field: "comment", message: "at most 500 characters"),
        Case(label: "malformed e-mail", fields: [("email", "ani.example.org")], field: "email", message: "does not look like an e-mail address"),
        Case(label: "empty e-mail", fields: [("email", "")], field: "email", message: "Please fill in this field."),
        Case(label: "unknown country", fields: [("country", "XX")], field: "country", message: "choose a country from the list"),
        Case(label: "missing country", fields: [("country", "")], field: "country", message: "Please fill in this field."),
        Case(label: "control character in name", fields: [("name", "Ani\u{7}")], field: "name", message: "control characters"),
    ]

    /// A valid form with some fields replaced.
    static func form(csrf: String, replacing: [(String, String)]) -> [(String, String)] {
        var fields: [String: String] = [
            "csrf": csrf, "lang": "en", "name": "Ani Hakobyan", "email": "ani@example.org", "country": "AM",
            "city": "Gyumri", "comment": "Free them all.",
        ]
        for (name, value) in replacing { fields[name] = value }
        return fields.sorted { $0.key < $1.key }
    }

    static func assertNothingWritten(_ app: TestApp) async throws {
        let petition = try await app.petition()
        let recount = try await app.store.recount(petitionID: petition.id)
        #expect(recount.pending == 0 && recount.held == 0 && recount.confirmed == 0)
        #expect(try await app.store.outboxSummary() == OutboxSummary())
    }

    @Test("each bad field is refused with its message beside it, the form keeps what was typed, nothing is written", arguments: formCases)
    func badField(_ testCase: Case) async throws {
        try await TestApp.with { app, client in
            let browser = Browser(client)
            let page = try await browser.get("/petitions/osce-moscow-mechanism")
            let answer = try await browser.post(
                "/petitions/osce-moscow-mechanism/signatures",
                fields: Self.form(csrf: page.csrfToken ?? "", replacing: testCase.fields)
            )
            #expect(answer.status == .unprocessableContent)
            let html = answer.body
            #expect(html.contains(#"id="\#(testCase.field)-error""#))
            #expect(html.contains(testCase.message))
            #expect(html.contains(#"aria-invalid="true""#))
            #expect(html.contains("error-summary"))
            if testCase.field != "city" { #expect(html.contains(#"value="Gyumri""#)) }
            if testCase.field != "comment" { #expect(html.contains(">Free them all.</textarea>")) }
            if testCase.field != "country" { #expect(html.contains(#"<option value="AM" selected>"#)) }
            try await Self.assertNothingWritten(app)
        }
    }

    @Test("markup typed into the form is shown as text, never as markup")
    func markupEscaped() async throws {
        try await TestApp.with { app, client in
            let browser = Browser(client)
            let page = try await browser.get("/petitions/osce-moscow-mechanism")
            let answer = try await browser.post(
                "/petitions/osce-moscow-mechanism/signatures",
                fields: Self.form(csrf: page.csrfToken ?? "", replacing: [
                    ("name", "<script>alert(1)</script>"), ("comment", "</textarea><img src=x onerror=alert(1)>"), ("email", "bad"),
                ])
            )
            #expect(answer.status == .unprocessableContent)
            #expect(!answer.body.contains("<script>alert(1)</script>"))
            #expect(answer.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(!answer.body.contains("<img src=x"))
            try await Self.assertNothingWritten(app)
        }
    }

    @Test("bytes that are not UTF-8 are refused for that field, the rest is kept, nothing is written")
    func invalidUTF8() async throws {
        try await TestApp.with { app, client in
            let browser = Browser(client)
            let page = try await browser.get("/petitions/osce-moscow-mechanism")
            let body = "csrf=\(page.csrfToken ?? "")&lang=en&name=Ani%FF%FEHakobyan&email=ani%40example.org&country=FR&city=Lyon"
            let answer = try await browser.post("/petitions/osce-moscow-mechanism/signatures", rawBody: ByteBuffer(string: body))
            #expect(answer.status == .unprocessableContent)
            #expect(answer.body.contains(#"id="name-error""#))
            #expect(answer.body.contains("could not be read"))
            #expect(answer.body.contains(#"value="Lyon""#))
            #expect(answer.body.contains(#"value="ani@example.org""#))

            var raw = ByteBuffer(string: "csrf=\(page.csrfToken ?? "")&lang=en&name=")
            raw.writeBytes([0xC3, 0x28, 0xA0])
            raw.writeString("&email=ani%40example.org&country=FR")
            let rawAnswer = try await browser.post("/petitions/osce-moscow-mechanism/signatures", rawBody: raw)
            #expect(rawAnswer.status == .unprocessableContent)
            #expect(rawAnswer.body.contains(#"id="name-error""#))
            try await Self.assertNothingWritten(app)
        }
    }

    @Test("a body over 64 KiB is refused with 413 and nothing is written")
    func tooLarge() async throws {
        try await TestApp.with { app, client in
            let browser = Browser(client)
            let page = try await browser.get("/petitions/osce-moscow-mechanism")
            let answer = try await browser.post(
                "/petitions/osce-moscow-mechanism/signatures",
                fields: Self.form(csrf: page.csrfToken ?? "", replacing: [("comment", String(repeating: "x", count: 70_000))])
            )
            #expect(answer.status == .contentTooLarge)
            #expect(answer.body.contains("Too much to send"))
            try await Self.assertNothingWritten(app)
        }
    }

    @Test("a missing, wrong or foreign CSRF token is refused with 403 and nothing is written")
    func csrf() async throws {
        try await TestApp.with { app, client in
            let browser = Browser(client)
            let page = try await browser.get("/petitions/osce-moscow-mechanism")
            let valid = page.csrfToken ?? ""

            let missing = try await browser.post(
                "/petitions/osce-moscow-mechanism/signatures",
                fields: Self.form(csrf: valid, replacing: []).filter { $0.0 != "csrf" }
            )
            #expect(missing.status == .forbidden)
            #expect(missing.body.contains("This form has expired"))

            let wrong = try await browser.post(
                "/petitions/osce-moscow-mechanism/signatures",
                fields: Self.form(csrf: String(valid.reversed()), replacing: [])
            )
            #expect(wrong.status == .forbidden)

            // A token from another browser is worthless without that browser's cookie.
            let stranger = Browser(client, address: "192.0.2.1")
            let strangerPage = try await stranger.get("/petitions/osce-moscow-mechanism")
            let foreign = try await browser.post(
                "/petitions/osce-moscow-mechanism/signatures",
                fields: Self.form(csrf: strangerPage.csrfToken ?? "", replacing: [])
            )
            #expect(foreign.status == .forbidden)

            // No cookie at all.
            let cookieless = Browser(client)
            let none = try await cookieless.post(
                "/petitions/osce-moscow-mechanism/signatures",
                fields: Self.form(csrf: valid, replacing: [])
            )
            #expect(none.status == .forbidden)
            try await Self.assertNothingWritten(app)
        }
    }

    @Test("confirming without a valid token is refused and counts nothing")
    func confirmCSRF() async throws {
        try await TestApp.with { app, client in
            let browser = Browser(client)
            _ = try await browser.sign(email: "csrf@example.org")
            let link = try #require(try await app.waitForMails(1).first?.confirmationPath)
            let refused = try await Browser(client).post(link, fields: [("csrf", "nope")])
            #expect(refused.status == .forbidden)
            let petition = try await app.petition()
            #expect(try await app.store.recount(petitionID: petition.id).confirmed == 0)
        }
    }
}
