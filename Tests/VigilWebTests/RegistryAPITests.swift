import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VigilCore
@testable import VigilWeb

@Suite("Registry open data", .onBothDatabases)
struct RegistryAPITests {
    static func json(_ page: Browser.Page) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(page.body.utf8)) as? [String: Any])
    }

    @Test("the list has everyone with permalinks, counts by category, and time held")
    func list() async throws {
        try await TestApp.with { _, client in
            let page = try await Browser(client).get("/api/v1/detainees")
            #expect(page.status == .ok)
            #expect(page.headers[.contentType] == "application/json; charset=utf-8")
            #expect(page.headers[.accessControlAllowOrigin] == "*")
            let document = try Self.json(page)
            let data = try #require(document["data"] as? [[String: Any]])
            #expect(data.count == 23)
            let meta = try #require(document["meta"] as? [String: Any])
            #expect(meta["by_category"] as? [String: Int] == ["political-prisoner": 8, "civilian": 6, "prisoner-of-war": 9])
            let first = try #require(data.first)
            #expect(first["slug"] as? String == "davit-babayan")
            #expect(first["url"] as? String == "https://petition.example.org/detainees/davit-babayan")
            #expect(first["api_url"] as? String == "https://petition.example.org/api/v1/detainees/davit-babayan")
            let custody = try #require(first["custody"] as? [String: Any])
            #expect(custody["days_held"] as? Int == 1089)
            #expect(custody["days_held_is_minimum"] as? Bool == false)
            #expect(custody["held_since"] as? String == "2023-09-28")
            #expect(custody["status"] as? String == "held")
        }
    }

    @Test("the list can be searched and filtered; a bad category is a problem document")
    func listQueries() async throws {
        try await TestApp.with { _, client in
            let browser = Browser(client)
            let found = try #require(try Self.json(try await browser.get("/api/v1/detainees?q=Eolchekjian"))["data"] as? [[String: Any]])
            #expect(found.first?["slug"] as? String == "vicken-euljekjian")
            let pows = try #require(try Self.json(try await browser.get("/api/v1/detainees?category=prisoner-of-war"))["data"] as? [[String: Any]])
            #expect(pows.count == 9)
            let bad = try await browser.get("/api/v1/detainees?category=hostage")
            #expect(bad.status == .badRequest)
            #expect(bad.headers[.contentType] == "application/problem+json")
            #expect(try Self.json(bad)["detail"] as? String == "category 'hostage' is not one of political-prisoner, civilian, prisoner-of-war")
        }
    }

    @Test("one person's record keeps partial dates, what is unclear, numbered citations and their sources")
    func detainee() async throws {
        try await TestApp.with { _, client in
            let document = try Self.json(try await Browser(client).get("/api/v1/detainees/rashid-beglaryan"))
            #expect(document["name"] as? String == "Rashid Beglaryan")
            #expect(document["url"] as? String == "https://petition.example.org/detainees/rashid-beglaryan")
            let custody = try #require(document["custody"] as? [String: Any])
            #expect(custody["held_since"] as? String == "2023")
            #expect(custody["held_since_precision"] as? String == "year")
            #expect(custody["days_held_is_minimum"] as? Bool == true)
            #expect(custody["sentence_years"] as? Int == 15)
            let timeline = try #require(document["timeline"] as? [[String: Any]])
            #expect(timeline.first?["kind"] as? String == "detained")
            #expect(timeline.first?["date_precision"] as? String == "year")
            #expect((timeline.first?["unclear"] as? String)?.contains("1 August") == true)
            let citations = try #require(document["citations"] as? [[String: Any]])
            #expect(citations.first?["number"] as? Int == 1)
            let numbers = Set(citations.compactMap { $0["number"] as? Int })
            #expect(numbers == Set(1...citations.count))
            for event in timeline {
                let cited = try #require(event["citations"] as? [Int])
                #expect(!cited.isEmpty && cited.allSatisfy(numbers.contains))
            }
            let sources = try #require(document["sources"] as? [[String: Any]])
            #expect(sources.first?["title"] as? String == "armeniancause.net, as republished in the article announcing the petition")
            let names = try #require(document["names"] as? [[String: Any]])
            #expect(names.contains { $0["script"] as? String == "Armn" && $0["unsourced"] as? Bool == true })

            let missing = try await Browser(client).get("/api/v1/detainees/nobody")
            #expect(missing.status == .notFound)
            #expect(missing.headers[.contentType] == "application/problem+json")
        }
    }

    @Test("the JSON export holds every record with its permalink, citations and sources")
    func exportJSON() async throws {
        try await TestApp.with { _, client in
            let document = try Self.json(try await Browser(client).get("/detainees.json"))
            #expect(document["count"] as? Int == 23)
            let detainees = try #require(document["detainees"] as? [[String: Any]])
            #expect(detainees.count == 23)
            for record in detainees {
                let slug = try #require(record["slug"] as? String)
                #expect(record["url"] as? String == "https://petition.example.org/detainees/\(slug)")
                #expect((record["citations"] as? [[String: Any]])?.isEmpty == false, "\(slug)")
                #expect((record["sources"] as? [[String: Any]])?.count == 1, "\(slug)")
            }
            #expect((document["sources"] as? [[String: Any]])?.count == 1)
        }
    }

    @Test("the CSV export has a header and one row per person, quoted where needed")
    func exportCSV() async throws {
        try await TestApp.with { _, client in
            let page = try await Browser(client).get("/detainees.csv")
            #expect(page.status == .ok)
            #expect(page.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(page.headers[.contentDisposition]?.contains("detainees.csv") == true)
            let lines = page.body.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(lines.count == 24)
            #expect(lines.first?.hasPrefix("slug,url,name,other_names,category,status,held_since") == true)
            let vagif = try #require(lines.first { $0.hasPrefix("vagif-khachatryan,") })
            #expect(vagif.contains("https://petition.example.org/detainees/vagif-khachatryan"))
            #expect(vagif.contains("Baku Military Court"))
            #expect(vagif.contains("[1] armeniancause.net, as republished in the article announcing the petition"))
            #expect(vagif.contains("https://armeniancause.net"))
        }
    }

    @Test("the OpenAPI description covers the registry's endpoints")
    func described() async throws {
        try await TestApp.with { _, client in
            let document = try await Browser(client).get("/api/openapi.yaml").body
            for path in ["/api/v1/detainees:", "/api/v1/detainees/{slug}:", "/detainees.json:", "/detainees.csv:"] {
                #expect(document.contains("\n  \(path)\n"), "\(path)")
            }
            for schema in ["Detainee:", "DetaineeList:", "RegistryExport:", "Custody:", "PartialDate:"] {
                #expect(document.contains("\n    \(schema)\n"), "\(schema)")
            }
        }
    }

    @Test("CSV fields are quoted and spreadsheet formulas defused")
    func csvFields() {
        #expect(RegistryCSV.field("plain") == "plain")
        #expect(RegistryCSV.field("a, b") == "\"a, b\"")
        #expect(RegistryCSV.field("say \"x\"") == "\"say \"\"x\"\"\"")
        #expect(RegistryCSV.field("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(RegistryCSV.field("+1") == "'+1")
    }
}
