import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VigilCore
@testable import VigilWeb

@Suite("Page language", .onBothDatabases)
struct PageLanguageTests {
    static let petition = "/petitions/osce-moscow-mechanism"
    static let titles: [Language: String] = [
        .english: "Invoke the OSCE Moscow Mechanism for the 23 Armenians held in Baku",
        .armenian: "Գործարկել ԵԱՀԿ Մոսկովյան մեխանիզմը Բաքվում պահվող 23 հայերի համար",
        .french: "Invoquer le Mécanisme de Moscou de l’OSCE pour les 23 Arméniens détenus à Bakou",
        .russian: "Задействовать Московский механизм ОБСЕ в защиту 23 армян, удерживаемых в Баку",
    ]

    static func acceptLanguage(_ value: String) -> HTTPFields {
        var headers = HTTPFields()
        headers[.acceptLanguage] = value
        return headers
    }

    @Test("a path prefix shows the page in that language, with its own petition text", arguments: Language.allCases)
    func prefix(language: Language) async throws {
        try await TestApp.with { _, client in
            let page = try await Browser(client).get(language.path(Self.petition))
            #expect(page.status == .ok)
            #expect(page.body.contains(#"<html lang="\#(language.tag)">"#))
            #expect(page.headers[.contentLanguage] == language.tag)
            #expect(page.body.contains("<h1>\(Self.titles[language] ?? "")</h1>"))
        }
    }

    @Test("the prefix outranks the cookie, the cookie outranks Accept-Language, and an unknown language falls back to English")
    func precedence() async throws {
        try await TestApp.with { _, client in
            let browser = Browser(client)
            let french = Self.acceptLanguage("fr, en;q=0.5")
            #expect(try await browser.get(Self.petition, headers: french).body.contains(#"<html lang="fr">"#))
            #expect(try await browser.get(Self.petition, headers: Self.acceptLanguage("de")).body.contains(#"<html lang="en">"#))

            _ = try await browser.get("/hy/detainees")
            #expect(browser.cookies[LanguageCookie.name] == "hy", "choosing a language through a link is remembered")
            #expect(try await browser.get(Self.petition, headers: french).body.contains(#"<html lang="hy">"#))
            #expect(try await browser.get("/ru" + Self.petition, headers: french).body.contains(#"<html lang="ru">"#))
            #expect(browser.cookies[LanguageCookie.name] == "ru")
        }
    }

    @Test("pages link to every translation by hreflang, absolute, with the unprefixed page as x-default")
    func alternates() async throws {
        try await TestApp.with { _, client in
            let html = try await Browser(client).get("/fr/detainees").body
            for language in Language.allCases {
                #expect(html.contains(#"<link rel="alternate" hreflang="\#(language.tag)" href="https://petition.example.org/\#(language.tag)/detainees">"#))
                #expect(html.contains(#"<a href="/\#(language.tag)/detainees" lang="\#(language.tag)" hreflang="\#(language.tag)""#))
            }
            #expect(html.contains(#"<link rel="alternate" hreflang="x-default" href="https://petition.example.org/detainees">"#))
            #expect(html.contains(#"href="/fr/privacy""#), "links within the page keep the language")
        }
    }

    @Test("dates and numbers are written the language's way, Armenian month names included")
    func formatting() async throws {
        try await TestApp.with { _, client in
            let browser = Browser(client)
            let armenian = try await browser.get("/hy" + Self.petition).body
            #expect(armenian.contains("3\u{a0}807"), "digits grouped with a no-break space")
            #expect(armenian.contains("նոյեմբերի"), "the tally's date has its Armenian month name")
            let russian = try await browser.get("/ru" + Self.petition).body
            #expect(russian.contains("ноября"))
            let english = try await browser.get("/en" + Self.petition).body
            #expect(english.contains("3,807") && english.contains("November"))
        }
    }

    @Test("error pages speak the visitor's language")
    func errors() async throws {
        try await TestApp.with { _, client in
            let page = try await Browser(client).get("/ru/no/such/page")
            #expect(page.status == .notFound)
            #expect(page.body.contains(#"<html lang="ru">"#))
            let catalogue = try await PageRenderer.load(campaignNames: [:], publicURL: "").catalogue
            #expect(page.body.contains(catalogue.text("error_404_title", in: .russian)))
        }
    }

    @Test("a signature made in French gets its e-mail in French, with links that stay in French")
    func mailLanguage() async throws {
        try await TestApp.with { app, client in
            let browser = Browser(client)
            let form = try await browser.get("/fr" + Self.petition)
            let signed = try await browser.post("/fr" + Self.petition + "/signatures", fields: [
                ("csrf", form.csrfToken ?? ""), ("lang", "fr"), ("name", "Anahit Petrossian"),
                ("email", "anahit@example.org"), ("country", "FR"), ("city", "Marseille"),
            ])
            #expect(signed.headers[.location] == "/fr" + Self.petition + "/check-email")
            let mail = try #require(try await app.waitForMails(1).first)
            #expect(mail.body.contains(Self.titles[.french] ?? "-"), "the e-mail names the petition by its French title")
            let link = try #require(mail.confirmationPath)
            #expect(link.hasPrefix("/fr/confirm/"))
            let thanks = try await browser.confirm(link)
            #expect(thanks.body.contains(#"<html lang="fr">"#))
        }
    }
}
