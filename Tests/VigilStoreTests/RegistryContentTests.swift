import Foundation
import Testing
import VigilCore
import VigilTestSupport
@testable import VigilStore

@Suite("Registry content", .onBothDatabases)
struct RegistryContentTests {
    @Test("every fact of the 23 profiles is cited to a known source, or is a name marked unsourced")
    func everyFactSourced() async throws {
        try await TestStore.with { test in
            let registry = try await test.store.fullRegistry()
            #expect(registry.detainees.count == 23)
            #expect(registry.sources.map(\.key) == ["armeniancause-petition-article"])
            #expect(registry.sources.first?.title == "armeniancause.net, as republished in the article announcing the petition")
            let sourceKeys = Set(registry.sources.map(\.key))
            var checked = 0
            for detainee in registry.detainees {
                var facts: [(String, Sourcing)] = []
                facts += detainee.names.map { ("name \($0.text)", $0.sourcing) }
                facts += [detainee.born, nil].compactMap { $0 }.map { ("born", $0.sourcing) }
                facts += [detainee.birthplace, detainee.summary].compactMap { $0 }.map { ("text", $0.sourcing) }
                facts += detainee.reportedAges.map { ("age", $0.sourcing) }
                facts += detainee.background.map { ("background", $0.sourcing) }
                facts += detainee.events.map { ("event \($0.kind)", $0.sourcing) }
                facts += detainee.proceedings.map { ("proceeding \($0.key)", $0.sourcing) }
                #expect(detainee.summary != nil, "\(detainee.slug) has a summary")
                #expect(!detainee.events.isEmpty, "\(detainee.slug) has a timeline")
                for (fact, sourcing) in facts {
                    checked += 1
                    switch sourcing {
                    case .cited(let citations):
                        #expect(!citations.isEmpty, "\(detainee.slug): \(fact)")
                        #expect(citations.allSatisfy { sourceKeys.contains($0.source) }, "\(detainee.slug): \(fact)")
                    case .unsourced:
                        // Only names the editors added in other scripts or spellings may be unsourced.
                        #expect(fact.hasPrefix("name "), "\(detainee.slug): \(fact) is unsourced")
                    }
                }
                // The Latin name the campaign uses always comes from the source.
                #expect(detainee.names.first?.sourcing.isUnsourced == false, "\(detainee.slug)")
            }
            #expect(checked > 150)
        }
    }

    @Test("the spellings the article uses are kept as names with their kind")
    func spellingVariants() async throws {
        try await TestStore.with { test in
            let registry = try await test.store.fullRegistry()
            func names(_ slug: String) -> [String: Detainee.Name.Kind] {
                let record = registry.detainees.first { $0.slug == slug }
                return Dictionary((record?.names ?? []).map { ($0.text, $0.kind) }, uniquingKeysWith: { first, _ in first })
            }
            #expect(names("vicken-euljekjian")["Vicken Euljekjian"] == .common)
            #expect(names("vicken-euljekjian")["Vicken Eolchekjian"] == .transliteration)
            #expect(names("davit-ishkhanyan")["Davit lshkhanyan"] == .misspelling)
            #expect(names("alesha-khosrovyan")["Alesha Hsoroyan"] == .misspelling)
            #expect(names("ludwig-mkrtchyan")["Ludvig Mkrtchyan"] == .transliteration)
            #expect(names("levon-mnatsakanyan")["Lyova Mnatsakanyan"] == .common)
            #expect(names("david-davtyan")["Davit Davtyan"] == .transliteration)
            #expect(names("davit-babayan")["David Babayan"] == .transliteration)
            let armenian = registry.detainees.flatMap(\.names).filter { $0.script == .armenian }
            #expect(armenian.count >= 20)
            #expect(armenian.allSatisfy { $0.sourcing.isUnsourced && $0.language == "hy" })
        }
    }

    @Test("facts come as precise as the article gives them, and what it leaves unclear says so")
    func precisionAndDoubt() async throws {
        try await TestStore.with { test in
            let registry = try await test.store.fullRegistry()
            func record(_ slug: String) throws -> Detainee {
                try #require(registry.detainees.first { $0.slug == slug })
            }
            let babayan = try record("davit-babayan")
            #expect(babayan.born?.value == PartialDate("1973-04-05"))
            #expect(babayan.events.first?.date == PartialDate("2023-09-28"))

            let rashid = try record("rashid-beglaryan")
            let arrest = try #require(rashid.events.first)
            #expect(arrest.date == PartialDate("2023"))
            #expect(arrest.date?.precision == .year)
            #expect(arrest.unclear?.text(in: .english).contains("1 August") == true)
            #expect(arrest.sourcing.citations.first?.reliability == .unclear)
            #expect(rashid.proceedings.first?.sentenceYears == 15)
            #expect(rashid.custody.status == .sentenced)

            let madat = try record("madat-badayan")
            #expect(madat.events.map(\.kind) == [.reportedMissing, .arrestAnnounced])
            #expect(madat.events.map(\.date) == [PartialDate("2023-09-19"), PartialDate("2023-11-02")])
            #expect(madat.custody.since == PartialDate("2023-11-02"))
            #expect(madat.custody.sinceIsAnnouncement)
            #expect(madat.reportedAges.first?.value == ReportedAge(years: 71, asOf: nil))

            let alaverdyan = try record("david-alaverdyan")
            #expect(alaverdyan.born == nil, "no birth date is made up from an age")
            #expect(alaverdyan.reportedAges.first?.value.years == 36)
            #expect(alaverdyan.events.first?.date?.precision == .month)
            #expect(alaverdyan.events.first?.unclear != nil)

            let vagif = try record("vagif-khachatryan")
            #expect(vagif.proceedings.first?.judge == "Jamal Ramazanov")
            #expect(vagif.events.map(\.kind) == [.abducted, .tried, .sentenced, .appealRejected])
            #expect(vagif.events.last?.date == nil)
            #expect(vagif.custody.sentenceYears == 15)

            let sentenced = registry.detainees.filter { $0.custody.status == .sentenced }.map(\.slug)
            #expect(Set(sentenced) == [
                "rashid-beglaryan", "david-davtyan", "vicken-euljekjian", "gevorg-sujyan", "vagif-khachatryan",
                "alesha-khosrovyan", "ludwig-mkrtchyan",
            ])
        }
    }

    @Test("an age is true as of its source's date when the source is dated, and undated otherwise")
    func ageDate() throws {
        let undated = try CampaignContent.load(from: TestStore.contentFolder)
        #expect(undated.detainees.first { $0.slug == "levon-balayan" }?.reportedAges.first?.value == ReportedAge(years: 46, asOf: nil))
        let folder = try TestStore.copyOfContent(editing: [
            (file: "sources.yaml", find: "    accessed: 2026-11-29", replace: "    published: 2024-08\n    accessed: 2026-11-29"),
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        let dated = try CampaignContent.load(from: folder)
        #expect(dated.detainees.first { $0.slug == "levon-balayan" }?.reportedAges.first?.value == ReportedAge(years: 46, asOf: PartialDate("2024-08")))
        #expect(dated.detainees.first { $0.slug == "levon-balayan" }?.born == nil)
    }
}
