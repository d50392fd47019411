import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VigilCore
import VigilStore
@testable import VigilWeb

@Suite("Counter card for other sites", .onBothDatabases)
struct EmbedTests {
    @Test("the card shows the live count, may be framed by any site, sets no cookie, and opens the petition in a new tab")
    func card() async throws {
        try await TestApp.with { app, client in
            let card = try await Browser(client).get("/embed/osce-moscow-mechanism")
            #expect(card.status == .ok)
            #expect(card.body.contains("3,807 signatures of 5,500"))
            #expect(card.body.contains(#"href="https://petition.example.org/en/petitions/osce-moscow-mechanism#sign" target="_blank" rel="noopener""#))
            #expect(card.body.contains("/assets/embed.css?v="))
            let csp = try #require(card.headers[.contentSecurityPolicy])
            #expect(csp.contains("frame-ancestors *"))
            #expect(csp.contains("default-src 'none'"))
            #expect(card.headers[HTTPField.Name("X-Frame-Options")!] == nil)
            #expect(card.headers[values: .setCookie].isEmpty)
            #expect(card.headers[.cacheControl] == APIResponse.shortCache)

            _ = try await app.signAndConfirm(client, email: "framed@example.org")
            #expect(try await Browser(client).get("/embed/osce-moscow-mechanism").body.contains("3,808 signatures of 5,500"))

            let armenian = try await Browser(client).get("/hy/embed/osce-moscow-mechanism")
            #expect(armenian.body.contains(#"<html lang="hy">"#))
            #expect(armenian.body.contains("Ստորագրել խնդրագիրը"))
            #expect(armenian.headers[values: .setCookie].isEmpty, "no language cookie in another site's page")

            #expect(try await Browser(client).get("/embed/no-such-petition").status == .notFound)
            // Every other page still refuses to be framed.
            let petition = try await Browser(client).get("/petitions/osce-moscow-mechanism")
            #expect(petition.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
            #expect(petition.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
            // Sites that draw their own counter read count.json, which any origin may fetch.
            let count = try await Browser(client).get("/petitions/osce-moscow-mechanism/count.json")
            #expect(count.headers[.accessControlAllowOrigin] == "*")
        }
    }

    @Test("editors find the iframe code and the JSON counter on the petition's console page")
    func snippet() async throws {
        try await TestApp.with { app, client in
            let browser = Browser(client)
            try await browser.signIn(try await app.staff(.editor), app: app)
            let page = try await browser.get("/admin/petitions/osce-moscow-mechanism").body
            #expect(page.contains("&lt;iframe src=&quot;https://petition.example.org/embed/osce-moscow-mechanism&quot;"))
            #expect(page.contains("https://petition.example.org/petitions/osce-moscow-mechanism/count.json"))
        }
    }
}
