import Foundation
import Testing
import VigilCore
import VigilTestSupport
@testable import VigilStore

@Suite("Registry import and export", .onBothDatabases)
struct RegistryImportTests {
    @Test("the first import keeps a revision of every record, by content-import, with nothing before")
    func firstRevisions() async throws {
        try await TestStore.with { test in
            let revisions = try await test.store.revisions(entity: "detainee", key: "davit-babayan")
            #expect(revisions.count == 1)
            let first = try #require(revisions.first)
            #expect(first.actor == "content-import")
            #expect(first.before == nil)
            #expect(first.after?.contains("1973-04-05") == true)
            #expect(first.changedAt == test.clock.now)
            #expect(try await test.store.revisions(entity: "source", key: "armeniancause-petition-article").count == 1)
        }
    }

    @Test("an import of changed files rewrites only what changed, and keeps before and after")
    func update() async throws {
        let folder = try TestStore.copyOfContent(editing: [
            (file: "detainees/davit-babayan.yaml", find: "date: 1973-04-05", replace: "date: 1973-04"),
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        try await TestStore.with { test in
            test.clock.advance(by: 3600)
            let changes = try await test.store.updateRegistry(
                from: try CampaignContent.load(from: folder), actor: "content-import", reason: "birth date corrected"
            )
            #expect(changes.changed == ["davit-babayan"])
            #expect(changes.added.isEmpty)
            #expect(changes.unchanged == 22)
            #expect(changes.sourcesChanged.isEmpty && changes.sourcesAdded.isEmpty)

            let babayan = try #require(try await test.store.fullRegistry().detainees.first { $0.slug == "davit-babayan" })
            #expect(babayan.born?.value == PartialDate("1973-04"))
            let revisions = try await test.store.revisions(entity: "detainee", key: "davit-babayan")
            #expect(revisions.count == 2)
            let latest = try #require(revisions.last)
            #expect(latest.reason == "birth date corrected")
            #expect(latest.before?.contains("\"1973-04-05\"") == true)
            #expect(latest.after?.contains("\"1973-04\"") == true)
            #expect(latest.changedAt == test.clock.now)

            // The same files again change nothing and add no revision.
            let again = try await test.store.updateRegistry(
                from: try CampaignContent.load(from: folder), actor: "content-import", reason: "no change"
            )
            #expect(again.changed.isEmpty && again.added.isEmpty && again.unchanged == 23)
            #expect(try await test.store.revisions(entity: "detainee", key: "davit-babayan").count == 2)
        }
    }

    @Test("a new person in the files is added and linked to the petition that covers everyone")
    func addPerson() async throws {
        let file = """
            slug: test-person
            category: civilian
            position: 24
            names:
              - text: Test Person
                script: Latn
                language: en
                kind: common
                unsourced: true
            """
        let folder = try TestStore.copyOfContent()
        defer { try? FileManager.default.removeItem(at: folder) }
        try await TestStore.with { test in
            try file.write(to: folder.appendingPathComponent("detainees/test-person.yaml"), atomically: true, encoding: .utf8)
            let changes = try await test.store.updateRegistry(
                from: try CampaignContent.load(from: folder), actor: "content-import", reason: "new person"
            )
            #expect(changes.added == ["test-person"])
            #expect(try await test.store.detaineeSlugs(petitionID: try await test.petition().id).last == "test-person")
        }
    }

    @Test("a broken record is refused with its file, record and field named, and nothing changes")
    func brokenRecord() async throws {
        let cases: [(edit: (file: String, find: String, replace: String), expected: [String])] = [
            (("detainees/rashid-beglaryan.yaml", "date: 2024-07-12", "date: 2024-13-12"),
             ["detainees/rashid-beglaryan.yaml", "record events[1]", "field date", "2024-13-12"]),
            (("detainees/vagif-khachatryan.yaml", "kind: appeal-rejected", "kind: appealed"),
             ["detainees/vagif-khachatryan.yaml", "record events[3]", "field kind", "'appealed'"]),
            (("detainees/gevorg-sujyan.yaml", "source: armeniancause-petition-article", "source: nowhere"),
             ["detainees/gevorg-sujyan.yaml", "record names[0]", "field cite[0].source", "'nowhere'"]),
            (("detainees/madat-badayan.yaml", "  - years: 71\n    cite: *profile", "  - years: 71"),
             ["detainees/madat-badayan.yaml", "record reported_ages[0]", "field cite", "unsourced: true"]),
            (("detainees/ruben-vardanyan.yaml", "kind: transliteration\n    unsourced: true", "kind: transliteration\n    unsourced: true\n    visibility: secret"),
             ["detainees/ruben-vardanyan.yaml", "record names[2]", "field visibility", "'secret'"]),
            (("detainees/david-davtyan.yaml", "proceeding: baku-grave-crimes-2021", "proceeding: baku-2021"),
             ["detainees/david-davtyan.yaml", "record events[1]", "field proceeding", "'baku-2021'"]),
            (("detainees/levon-balayan.yaml", "years: 46", "years: forty-six"),
             ["detainees/levon-balayan.yaml", "record reported_ages[0]", "field years"]),
            (("sources.yaml", "url: https://armeniancause.net", "url: armeniancause.net"),
             ["sources.yaml", "record sources[0]", "field url"]),
        ]
        try await TestStore.with { test in
            let before = try await test.store.fullRegistry()
            let revisionsBefore = try await test.store.revisions(entity: "detainee", key: "rashid-beglaryan")
            for (edit, expected) in cases {
                let folder = try TestStore.copyOfContent(editing: [edit])
                defer { try? FileManager.default.removeItem(at: folder) }
                do {
                    let content = try CampaignContent.load(from: folder)
                    _ = try await test.store.updateRegistry(from: content, actor: "content-import", reason: "broken")
                    Issue.record("\(edit.file): the broken file was accepted")
                } catch {
                    let message = "\(error)"
                    for part in expected {
                        #expect(message.contains(part), "\(message) should name \(part)")
                    }
                }
            }
            #expect(try await test.store.fullRegistry() == before)
            #expect(try await test.store.revisions(entity: "detainee", key: "rashid-beglaryan") == revisionsBefore)
        }
    }

    @Test("a failure halfway through an import rolls back the records written before it")
    func rollback() async throws {
        try await TestStore.with { test in
            let before = try await test.store.fullRegistry()
            var content = try CampaignContent.load(from: TestStore.contentFolder)
            // The first record changes; the last cites a source that does not exist, which only
            // the database step notices, after the first was written.
            content.detainees[0].born = Fact(PartialDate(year: 1900)!, sourcing: .unsourced)
            let last = content.detainees.count - 1
            content.detainees[last].summary = Fact(
                LocalizedText(english: "x"), sourcing: .cited([Citation(source: "missing", reliability: .reported)])
            )
            await #expect(throws: StoreError.self) {
                _ = try await test.store.updateRegistry(from: content, actor: "content-import", reason: "half")
            }
            #expect(try await test.store.fullRegistry() == before)
            #expect(try await test.store.revisions(entity: "detainee", key: content.detainees[0].slug).count == 1)
        }
    }

    @Test("exported files read back as the same campaign, restricted facts included")
    func roundTrip() async throws {
        let restricted = try TestStore.copyOfContent(editing: [
            (file: "detainees/gurgen-stepanyan.yaml", find: "    kind: transliteration\n    unsourced: true",
             replace: "    kind: transliteration\n    unsourced: true\n    visibility: restricted"),
        ])
        let exported = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-export-\(UUID().uuidString)")
        defer {
            try? FileManager.default.removeItem(at: restricted)
            try? FileManager.default.removeItem(at: exported)
        }
        try await TestStore.with(content: restricted) { test in
            let original = try CampaignContent.load(from: restricted)
            try await test.store.exportContent().write(to: exported)
            let reread = try CampaignContent.load(from: exported)

            var stored = try await test.store.fullRegistry()
            for index in stored.detainees.indices { stored.detainees[index].id = nil }
            #expect(reread.registry == stored)
            #expect(reread.registry == original.registry)
            #expect(reread.detainees.contains { $0.names.contains { $0.visibility == .restricted } })
            #expect(reread.names == original.names)
            #expect(reread.petitions.map(\.slug) == original.petitions.map(\.slug))
            #expect(reread.petitions.first?.texts == original.petitions.first?.texts)
            #expect(reread.petitions.first?.goal == original.petitions.first?.goal)
            #expect(reread.petitions.first?.detainees == original.detainees.map(\.slug))
            #expect(reread.petitions.first?.externalTallies == original.petitions.first?.externalTallies)
            #expect(reread.organisations.map { Set($0.members) } == original.organisations.map { Set($0.members) })

            // The export never writes over files.
            #expect(throws: StoreError.self) { try original.write(to: exported) }
        }
    }
}
