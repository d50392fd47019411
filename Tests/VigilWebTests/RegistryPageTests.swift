import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VigilCore
@testable import VigilWeb

@Suite("Registry pages", .onBothDatabases)
struct RegistryPageTests {
    @Test("the list groups everyone by category with counts, and says how long each has been held")
    func list() async throws {
        try await TestApp.with { app, client in
            let page = try await Browser(client).get("/detainees")
            #expect(page.status == .ok)
            let html = page.body
            #expect(html.contains("<h1>The Armenian detainees held in Azerbaijan</h1>"))
            #expect(html.components(separatedBy: #"<li class="card">"#).count - 1 == 23)
            for heading in ["Political prisoners (8)", "Civilians (6)", "Prisoners of war (9)", "Everyone (23)"] {
                #expect(html.contains(heading), "\(heading)")
            }
            // The test clock stands at 21 September 2026.
            #expect(html.contains("Held since September 28, 2023"))
            #expect(html.contains("<p class=\"card__days\">Held for 1,089 days</p>"), "Davit Babayan, from an exact date")
            #expect(html.contains("Held since September 2023"))
            #expect(html.contains("<p class=\"card__days\">Held for at least 1,087 days</p>"), "prisoners of war, from September 2023")
            #expect(html.contains("Held at least since November 2, 2023, when the arrest was announced"), "Madat Badayan")
            #expect(html.contains("<p class=\"card__days\">Held for at least 1,054 days</p>"))
            #expect(html.contains("Held since 2023"), "Rashid Beglaryan, arrested in 2023")
            #expect(html.contains("<p class=\"card__days\">Held for at least 995 days</p>"))
            #expect(html.contains("Sentenced to 20 years in prison"))
            #expect(html.contains(#"<a href="/en/detainees/vicken-euljekjian">Vicken Euljekjian</a>"#))
            #expect(html.contains(#"<span class="tile" aria-hidden="true">VE</span>"#))
            try Self.expectNoCatalogueKeys(html)

            // Days are counted when the page is asked for, not when the server started.
            app.clock.advance(by: 24 * 3600)
            #expect(try await Browser(client).get("/detainees").body.contains("Held for 1,090 days"))
        }
    }

    @Test("a category filter keeps one group and marks its link as current")
    func filter() async throws {
        try await TestApp.with { _, client in
            let html = try await Browser(client).get("/detainees?category=civilian").body
            #expect(html.components(separatedBy: #"<li class="card">"#).count - 1 == 6)
            #expect(html.contains(#"<a href="/en/detainees?category=civilian" aria-current="page">Civilians (6)</a>"#))
            #expect(!html.contains("Davit Babayan"))
            let unknown = try await Browser(client).get("/detainees?category=nonsense").body
            #expect(unknown.components(separatedBy: #"<li class="card">"#).count - 1 == 23)
        }
    }

    @Test("search forgives script, case and spelling, and says when nothing matches", arguments: [
        ("Eolchekjian", "Vicken Euljekjian"), ("euljekjian", "Vicken Euljekjian"), ("Vicken", "Vicken Euljekjian"),
        ("Ишханян", "Davit Ishkhanyan"), ("lshkhanyan", "Davit Ishkhanyan"), ("Khosrovian", "Alesha Khosrovyan"),
        ("Բակո Սահակյան", "Bako Sahakyan"),
    ])
    func search(query: String, expected: String) async throws {
        try await TestApp.with { _, client in
            let html = try await Browser(client).get("/detainees?q=\(Browser.encode(query))").body
            let first = try #require(html.range(of: #"<h3 class="card__name"><a href="[^"]*">[^<]*</a>"#, options: .regularExpression))
            #expect(html[first].hasSuffix(">\(expected)</a>"), "\(query)")
            #expect(html.contains("found for “\(query)”"))
            #expect(html.contains(#"value="\#(query)""#), "the query stays in the search box")
            if query == "Eolchekjian" {
                #expect(html.contains("Also written Vicken Eolchekjian"), "the name that matched is shown")
            }
            if query == "Vicken" {
                #expect(!html.contains("Also written"), "no other name when the shown one matches as well")
            }
        }
    }

    @Test("a search that finds no one says so")
    func noResults() async throws {
        try await TestApp.with { _, client in
            let html = try await Browser(client).get("/detainees?q=Smith").body
            #expect(html.contains("0 people found for “Smith”"))
            #expect(html.contains("No one in the registry matches"))
            #expect(!html.contains(#"<li class="card">"#))
            let hostile = try await Browser(client).get("/detainees?q=%3Cscript%3Ealert(1)%3C/script%3E").body
            #expect(!hostile.contains("<script>alert"))
        }
    }

    @Test("a profile shows facts, timeline, trial, names and numbered notes that lead to the sources")
    func profile() async throws {
        try await TestApp.with { _, client in
            let page = try await Browser(client).get("/detainees/vagif-khachatryan")
            #expect(page.status == .ok)
            let html = page.body
            #expect(html.contains("<h1>Vagif Khachatryan</h1>"))
            #expect(html.contains("Sentenced to 15 years in prison"))
            #expect(html.contains("Held since July 29, 2023"))
            #expect(html.contains("October 28, 1955"))
            #expect(html.contains("<strong>Abducted.</strong>"))
            #expect(html.contains("<strong>Appeal rejected.</strong>"))
            #expect(html.contains("Date not given"))
            #expect(html.contains("Jamal Ramazanov"))
            #expect(html.contains("Baku Military Court"))
            #expect(html.contains("Unclear:"))
            #expect(html.contains(#"<time datetime="2023-10-13">October 13, 2023</time>"#))
            #expect(html.contains(#"<span class="names__text" lang="hy">Վագիֆ Խաչատրյան</span>"#))
            #expect(html.contains(#"<span class="names__text" lang="ru">Вагиф Хачатрян</span>"#))
            #expect(html.contains("(no source yet)"))
            #expect(html.contains(#"<li id="source-armeniancause-petition-article">"#))
            #expect(html.contains("armeniancause.net, as republished in the article announcing the petition"))
            #expect(html.contains("“On 7 November”"))
            #expect(html.contains("the source is unclear here"))
            try Self.expectNoCatalogueKeys(html)
        }
    }

    @Test("all 23 profiles render, and every note number leads to a note and every note to a listed source")
    func everyProfile() async throws {
        try await TestApp.with { app, client in
            let browser = Browser(client)
            let slugs = try await app.store.fullRegistry().detainees.map(\.slug)
            #expect(slugs.count == 23)
            for slug in slugs {
                let page = try await browser.get("/detainees/\(slug)")
                #expect(page.status == .ok, "\(slug)")
                let html = page.body
                let marks = Set(html.matches(of: /href="#note-(\d+)"/).map { String($0.1) })
                let notes = Set(html.matches(of: /<li id="note-(\d+)">/).map { String($0.1) })
                #expect(!notes.isEmpty, "\(slug) has notes")
                #expect(marks == notes, "\(slug): every mark has a note and every note is used")
                for source in Set(html.matches(of: /<a href="#(source-[a-z0-9-]+)">/).map { String($0.1) }) {
                    #expect(html.contains(#"<li id="\#(source)">"#), "\(slug): \(source) is listed")
                }
                #expect(html.contains("class=\"custody__status\""), "\(slug)")
                try Self.expectNoCatalogueKeys(html)
            }
        }
    }

    @Test("an unknown person is a 404 page")
    func unknown() async throws {
        try await TestApp.with { _, client in
            let page = try await Browser(client).get("/detainees/nobody-here")
            #expect(page.status == .notFound)
            #expect(page.body.contains("Page not found"))
        }
    }

    /// A catalogue key shown instead of its text means a missing message. Only the text is
    /// checked, not the markup, whose class names look like keys.
    static func expectNoCatalogueKeys(_ page: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let html = page.replacing(#/<[^>]*>/#, with: " ")
        let prefixes = [
            "registry_", "profile_", "status_", "event_", "held_", "fact_", "proceeding_", "verdict_", "sentence_",
            "script_", "name_kind_", "reliability_", "source_", "category_", "citation_", "nav_", "unclear_label",
        ]
        for prefix in prefixes {
            let key = try Regex("\\b\(prefix)[a-z_]+")
            let found = html.firstMatch(of: key).map { String(html[$0.range]) }
            #expect(found == nil, "\(found ?? "")", sourceLocation: sourceLocation)
        }
    }
}
