import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VigilCore
import VigilTestSupport
@testable import VigilWeb

/// A campaign in which one person has a restricted fact of every kind and another is
/// unpublished: none of it may reach any public output.
@Suite("Restricted facts", .onBothDatabases)
struct RestrictedFactsTests {
    /// Texts that exist only in restricted facts or in the unpublished record.
    static let secrets = ["RESTRICTED", "Zzsecretname", "Ramazanov", "Melikset", "Pashayan", "restricted-source"]

    static func content() throws -> URL {
        let vagif = "detainees/vagif-khachatryan.yaml"
        let folder = try TestStore.copyOfContent(editing: [
            // A restricted name, restricted background and birth place, restricted event, place and judge.
            (vagif, "  - text: Вагиф Хачатрян", """
              - text: Zzsecretname Vagifov
                script: Latn
                kind: legal
                visibility: restricted
                cite:
                  - source: restricted-source
                    reliability: official
              - text: Вагиф Хачатрян
            """),
            (vagif, "events:\n", """
            birthplace:
              text:
                en: RESTRICTED birthplace
              visibility: restricted
              unsourced: true
            background:
              - text:
                  en: RESTRICTED health report
                visibility: restricted
                cite:
                  - source: restricted-source
                    quote: RESTRICTED quote
                    reliability: official
            events:

            """),
            (vagif, "  - kind: tried\n", """
              - kind: transferred
                date: 2023-08-15
                place:
                  en: RESTRICTED prison
                description:
                  en: RESTRICTED transfer
                visibility: restricted
                unsourced: true
              - kind: tried

            """),
            (vagif, "      en: Azerbaijani checkpoint on the Lachin corridor\n", "      en: RESTRICTED checkpoint\n    place_visibility: restricted\n"),
            (vagif, "    judge: Jamal Ramazanov\n", "    judge: Jamal Ramazanov\n    judge_visibility: restricted\n"),
            ("detainees/melikset-pashayan.yaml", "position: 22\n", "position: 22\npublished: false\n"),
            ("sources.yaml", "sources:\n", """
            sources:
              - key: restricted-source
                title: RESTRICTED letter from the family

            """),
        ])
        return folder
    }

    @Test("no page, export, search or API answer shows a restricted fact or an unpublished person")
    func nothingLeaks() async throws {
        let folder = try Self.content()
        defer { try? FileManager.default.removeItem(at: folder) }
        try await TestApp.with(content: folder) { app, client in
            // The restricted facts are stored: staff tools see them, so this test is not vacuous.
            let full = "\(try await app.store.fullRegistry())"
            for secret in Self.secrets {
                #expect(full.contains(secret), "\(secret) is stored")
            }

            let browser = Browser(client)
            let paths = [
                "/detainees", "/detainees?category=prisoner-of-war", "/detainees/vagif-khachatryan",
                "/detainees?q=Zzsecretname", "/detainees?q=Melikset", "/detainees?q=Ramazanov",
                "/api/v1/detainees", "/api/v1/detainees?q=Zzsecretname", "/api/v1/detainees?q=Pashayan",
                "/api/v1/detainees/vagif-khachatryan", "/detainees.json", "/detainees.csv",
                "/petitions/osce-moscow-mechanism", "/petitions/osce-moscow-mechanism.json",
            ]
            for path in paths {
                let page = try await browser.get(path)
                #expect(page.status == .ok, "\(path)")
                // A search repeats its own query back; that is the reader's text, not a leak.
                for secret in Self.secrets where !path.contains(secret) {
                    #expect(!page.body.contains(secret), "\(path) shows \(secret)")
                }
            }
            for query in ["Zzsecretname", "Melikset", "Pashayan", "Ramazanov"] {
                #expect(try await browser.get("/detainees?q=\(query)").body.contains("0 people found"), "\(query)")
                #expect(try await browser.get("/api/v1/detainees?q=\(query)").body.contains(#""data":[]"#), "\(query)")
            }
            // The public parts of the same person are still there.
            let profile = try await browser.get("/detainees/vagif-khachatryan").body
            #expect(profile.contains("Baku Military Court"))
            #expect(profile.contains("<strong>Abducted.</strong>"))
            #expect(!profile.contains("<strong>Transferred.</strong>"))
            #expect(!profile.contains(">Judge<"))
            // Custody is derived from public events only, and the unpublished person is gone whole.
            #expect(profile.contains("Held since July 29, 2023"))
            #expect(try await browser.get("/detainees/melikset-pashayan").status == .notFound)
            #expect(try await browser.get("/api/v1/detainees/melikset-pashayan").status == .notFound)
            #expect(try await browser.get("/petitions/osce-moscow-mechanism").body.contains("Prisoners of war (8)"))
        }
    }
}
