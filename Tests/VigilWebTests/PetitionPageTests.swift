import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VigilCore
@testable import VigilWeb

@Suite("Petition page", .onBothDatabases)
struct PetitionPageTests {
    @Test("the page says what is asked, of whom, how far from the goal, and whom it is about")
    func content() async throws {
        try await TestApp.with { _, client in
            let page = try await Browser(client).get("/petitions/osce-moscow-mechanism")
            #expect(page.status == .ok)
            let html = page.body
            #expect(html.contains("<h1>Invoke the OSCE Moscow Mechanism for the 23 Armenians held in Baku</h1>"))
            #expect(html.contains("The Chairperson-in-Office of the OSCE"))
            #expect(html.contains("The Secretary General of the OSCE"))
            #expect(html.contains("Director of the OSCE Office for Democratic Institutions and Human Rights (ODIHR)"))
            #expect(html.contains("What the Moscow Mechanism is"))
            #expect(html.contains("3,807 signatures of 5,500"))
            #expect(html.contains("0 signed online here"))
            #expect(html.contains("3,807 collected on armeniancause.net"))
            #expect(html.contains(#"<progress class="progress__bar" max="5500" value="3807""#))
            #expect(html.contains("Political prisoners (8)"))
            #expect(html.contains("Civilians (6)"))
            #expect(html.contains("Prisoners of war (9)"))
            for (slug, name) in [
                ("davit-babayan", "Davit Babayan"), ("ruben-vardanyan", "Ruben Vardanyan"), ("madat-badayan", "Madat Badayan"),
                ("vagif-khachatryan", "Vagif Khachatryan"), ("gurgen-stepanyan", "Gurgen Stepanyan"),
            ] {
                #expect(html.contains(#"<li><a href="/en/detainees/\#(slug)">\#(name)</a></li>"#), "\(name) links to the profile")
            }
            #expect(html.components(separatedBy: #"<li><a href="/en/detainees/"#).count - 1 == 23)
            #expect(html.components(separatedBy: "class=\"people__group\"").count - 1 == 3)
        }
    }

    @Test("the sign form has every field, OSCE states first, every ISO country, and the privacy link")
    func form() async throws {
        try await TestApp.with { _, client in
            let html = try await Browser(client).get("/petitions/osce-moscow-mechanism").body
            for field in ["name", "email", "country", "city", "comment", "show_name", "keep_informed", "website", "csrf", "lang"] {
                #expect(html.contains(#"name="\#(field)""#), "missing field \(field)")
            }
            #expect(!html.contains(#"name="show_name" value="yes" checked"#))
            #expect(!html.contains(#"name="keep_informed" value="yes" checked"#))
            #expect(html.contains(#"href="/en/privacy""#))
            let groups = html.components(separatedBy: "<optgroup")
            #expect(groups.count == 3)
            #expect(groups[1].contains("OSCE participating States"))
            #expect(groups[1].components(separatedBy: "<option").count - 1 == 57)
            #expect(groups[2].components(separatedBy: "<option").count - 1 == 249 - 57)
            #expect(groups[1].contains(#"<option value="AM">Armenia</option>"#))
            #expect(groups[2].contains(#"<option value="LB">Lebanon</option>"#))
        }
    }

    @Test("every response carries the security headers; the CSRF cookie is HttpOnly and SameSite")
    func securityHeaders() async throws {
        try await TestApp.with { _, client in
            let browser = Browser(client)
            for path in ["/petitions/osce-moscow-mechanism", "/petitions/osce-moscow-mechanism/count.json", "/no/such/page", "/privacy"] {
                let page = try await browser.get(path)
                let csp = page.headers[.contentSecurityPolicy] ?? ""
                #expect(csp.contains("default-src 'none'"), "\(path)")
                #expect(csp.contains("frame-ancestors 'none'"), "\(path)")
                #expect(!csp.contains("http"), "no third-party origin in \(path)")
                #expect(page.headers[.xContentTypeOptions] == "nosniff")
                #expect(page.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
                #expect(page.headers[.strictTransportSecurity] != nil, "the test site is https")
            }
            let fresh = try await Browser(client).get("/petitions/osce-moscow-mechanism")
            let cookie = try #require(fresh.headers[values: .setCookie].first { $0.hasPrefix("vigil_csrf=") })
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Lax"))
            #expect(cookie.contains("Secure"))
        }
    }

    @Test("the page loads nothing from other sites")
    func noThirdParty() async throws {
        try await TestApp.with { _, client in
            let html = try await Browser(client).get("/petitions/osce-moscow-mechanism").body
            for match in html.matches(of: /(?:src|href)="(https?:[^"]+)"/) {
                let url = String(match.1)
                // Links the reader may follow are fine; nothing may be loaded from elsewhere.
                #expect(!html.contains("src=\"\(url)\""))
                #expect(!html.contains("<link rel=\"stylesheet\" href=\"\(url)\""))
            }
            #expect(html.contains(#"<script src="/assets/vigil.js"#))
        }
    }

    @Test("pages and assets are served; unknown pages get a 404 page")
    func sitePages() async throws {
        try await TestApp.with { _, client in
            let browser = Browser(client)
            let home = try await browser.get("/")
            #expect(home.status == .found)
            #expect(home.headers[.location] == "/petitions/osce-moscow-mechanism")
            let privacy = try await browser.get("/privacy")
            #expect(privacy.status == .ok)
            #expect(privacy.body.contains("encrypted"))
            #expect(privacy.body.contains("vigil_csrf"))
            #expect(privacy.body.contains("erased 90 days after the petition is closed"))
            #expect(privacy.body.contains("for 7 days after it goes out"))
            #expect(try await Browser(client).get("/ru/privacy").body.contains("удаляются через 90 дней"))
            let css = try await browser.get("/assets/vigil.css")
            #expect(css.status == .ok)
            #expect(css.headers[.contentType] == "text/css; charset=utf-8")
            // One stylesheet for the whole site, fetched once and then kept: its address changes with its content.
            #expect(css.body.utf8.count < 24_000)
            let missing = try await browser.get("/petitions/no-such-petition")
            #expect(missing.status == .notFound)
            #expect(missing.body.contains("Page not found"))
        }
    }

    @Test("every page names its icon, which is served, so browsers ask for no missing /favicon.ico")
    func icon() async throws {
        try await TestApp.with { _, client in
            let browser = Browser(client)
            let html = try await browser.get("/petitions/osce-moscow-mechanism").body
            let link = try #require(html.firstMatch(of: /<link rel="icon" href="([^"]+)" type="image\/svg\+xml">/))
            let icon = try await browser.get(String(link.1))
            #expect(icon.status == .ok)
            #expect(icon.headers[.contentType] == "image/svg+xml")
            #expect(icon.body.hasPrefix("<svg"))
        }
    }

    @Test("the OpenAPI description served is the one at the repository root")
    func openAPI() async throws {
        try await TestApp.with { _, client in
            let served = try await Browser(client).get("/api/openapi.yaml")
            #expect(served.status == .ok)
            let file = try String(
                contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                    .deletingLastPathComponent().appendingPathComponent("openapi.yaml"),
                encoding: .utf8
            )
            #expect(served.body == file)
            #expect(file.contains("/petitions/{slug}.json"))
            #expect(file.contains("/petitions/{slug}/count.json"))
        }
    }
}
