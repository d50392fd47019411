import Foundation
import Testing
import VigilCore
import VigilTestSupport
@testable import VigilStore

@Suite("Campaign content", .onBothDatabases)
struct CampaignContentTests {
    @Test("the default campaign loads with its petition, 23 detainees and the 57 OSCE states")
    func defaultCampaign() async throws {
        try await TestStore.with { test in
            let petition = try await test.petition()
            #expect(petition.goal == 5500)
            #expect(petition.state == .open)
            #expect(petition.organisation == "osce")
            #expect(Set(petition.languages) == Set(Language.allCases), "the petition's text is in every language")

            let text = try #require(try await test.store.currentText(petitionID: petition.id, language: .english))
            #expect(text.addressees.count == 3)
            #expect(text.addressees.contains { $0.contains("Chairperson-in-Office") })
            #expect(text.addressees.contains { $0.contains("Secretary General") })
            #expect(text.addressees.contains { $0.contains("ODIHR") })

            let tallies = try await test.store.externalTallies(petitionID: petition.id)
            #expect(tallies.count == 1)
            #expect(tallies.first?.count == 3807)
            #expect(tallies.first?.sourceName == "armeniancause.net")
            #expect(tallies.first?.countedOn == nil)

            let slugs = try await test.store.detaineeSlugs(petitionID: petition.id)
            #expect(slugs.count == 23)
            #expect(slugs.first == "davit-babayan")
            let detainees = try await test.store.fullRegistry().detainees
            #expect(detainees.map(\.slug) == slugs)
            let byCategory = Dictionary(grouping: detainees, by: \.category).mapValues(\.count)
            #expect(byCategory == [.politicalPrisoner: 8, .civilian: 6, .prisonerOfWar: 9])
            #expect(detainees.first?.displayName == "Davit Babayan")

            let members = try await test.store.memberCountries(ofOrganisation: "osce")
            #expect(members.count == 57)
            #expect(members.contains(Country(code: "AM")!) && members.contains(Country(code: "AZ")!))
            #expect(try await test.store.hasContent())
            let names = try await test.store.campaignNames()
            #expect(names[.english] == "Petition for the Armenian detainees")
            #expect(Set(names.keys) == Set(Language.allCases), "the campaign is named in every language")

        }
    }

    @Test("a content file with a bad field is refused with the file and field named")
    func malformedContent() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-content-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let petitionFolder = folder.appendingPathComponent("petitions/example")
        try FileManager.default.createDirectory(at: petitionFolder, withIntermediateDirectories: true)
        try "slug: example\nstate: open\ngoal: many\ndefault_language: en\n"
            .write(to: petitionFolder.appendingPathComponent("petition.yaml"), atomically: true, encoding: .utf8)

        #expect {
            try CampaignContent.load(from: folder)
        } throws: { error in
            let message = "\(error)"
            return message.contains("petitions/example/petition.yaml") && message.contains("goal")
        }

        try "slug: example\nstate: campaigning\ngoal: 10\ndefault_language: en\n"
            .write(to: petitionFolder.appendingPathComponent("petition.yaml"), atomically: true, encoding: .utf8)
        #expect {
            try CampaignContent.load(from: folder)
        } throws: { error in
            "\(error)".contains("state: 'campaigning'")
        }
    }

    @Test("a detainee in an unknown category is refused")
    func unknownCategory() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-content-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("detainees"), withIntermediateDirectories: true)
        try "slug: someone\ncategory: hostage\nposition: 1\nnames:\n  - text: Someone\n    script: Latn\n    kind: common\n    unsourced: true\n"
            .write(to: folder.appendingPathComponent("detainees/someone.yaml"), atomically: true, encoding: .utf8)
        #expect {
            try CampaignContent.load(from: folder)
        } throws: { error in
            "\(error)".contains("detainees/someone.yaml") && "\(error)".contains("field category")
        }
    }
}
