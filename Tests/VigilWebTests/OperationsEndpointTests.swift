import Foundation
import HTTPTypes
import Testing
import VigilStore
@testable import VigilWeb

@Suite("Operations endpoints: /healthz, /readyz")
struct OperationsEndpointTests {
    @Test("/healthz and /readyz answer in plain text, set no cookie, and /readyz turns 503 when the database stops answering")
    func probes() async throws {
        try await TestApp.with { app, client in
            let browser = Browser(client)
            let health = try await browser.get("/healthz")
            #expect(health.status == .ok && health.body == "ok\n")
            #expect(health.headers[.setCookie] == nil)
            let ready = try await browser.get("/readyz")
            #expect(ready.status == .ok && ready.body == "ready\n")
            #expect(ready.headers[.contentType] == "text/plain; charset=utf-8")
            #expect(ready.headers[.setCookie] == nil)

            await app.store.close()
            let closed = try await browser.get("/readyz")
            #expect(closed.status == .serviceUnavailable)
            #expect(closed.body == "database not answering\n")
            #expect(try await browser.get("/healthz").status == .ok)
        }
    }
}
