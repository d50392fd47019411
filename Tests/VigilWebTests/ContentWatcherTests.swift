import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VigilStore
@testable import VigilWeb
import VigilTestSupport

@Suite("Content changed under a running server", .onBothDatabases)
struct ContentWatcherTests {
    @Test("a registry imported beside the running server shows on its pages at the next look, petition page included")
    func registryReloads() async throws {
        let folder = try TestStore.copyOfContent(editing: [
            (file: "detainees/davit-babayan.yaml", find: "slug: davit-babayan\n", replace: "slug: davit-babayan\npublished: false\n"),
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        // The watcher's own round must not come between the import and the first look below.
        try await TestApp.with(configure: { $0.contentCheckSeconds = 3_600 }) { app, client in
            let browser = Browser(client)
            #expect(try await browser.get("/detainees/davit-babayan").status == .ok)
            #expect(try await browser.get("/petitions/osce-moscow-mechanism").body.contains("/detainees/davit-babayan"))
            // Served once, so that the registry pages below come from the page cache.
            #expect(try await browser.get("/detainees").body.contains("Davit Babayan"))

            _ = try await app.store.updateRegistry(from: try CampaignContent.load(from: folder), actor: "content-import", reason: "withheld for now")
            #expect(try await browser.get("/detainees/davit-babayan").status == .ok, "nothing changes before the watcher looks")

            await app.server.services.contentWatcher.refresh()
            #expect(try await browser.get("/detainees/davit-babayan").status == .notFound)
            #expect(!(try await browser.get("/detainees").body.contains("Davit Babayan")))
            #expect(!(try await browser.get("/petitions/osce-moscow-mechanism").body.contains("/detainees/davit-babayan")))
        }
    }
}
