import Foundation
import HTTPTypes
import Testing
import VigilStore
@testable import VigilWeb

@Suite("Operations endpoints: /healthz, /readyz, /metrics", .onBothDatabases)
struct OperationsEndpointTests {
    static let token = "0123456789abcdef0123456789abcdef"

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

    @Test("without a metrics token /metrics does not exist")
    func metricsOff() async throws {
        try await TestApp.with { _, client in
            let page = try await Browser(client).get("/metrics")
            #expect(page.status == .notFound)
            #expect(!page.body.contains("vigil_"))
        }
    }

    @Test("with a token, /metrics wants it as a bearer token and then serves signatures by state, the outbox and batch sizes")
    func metricsWithToken() async throws {
        try await TestApp.with(configure: { $0.metricsToken = Self.token }) { _, client in
            let browser = Browser(client)
            let missing = try await browser.get("/metrics")
            #expect(missing.status == .unauthorized)
            #expect(missing.headers[.wwwAuthenticate] == #"Bearer realm="vigil-metrics""#)
            #expect(!missing.body.contains("vigil_"))
            let wrong = try await browser.get("/metrics", headers: [.authorization: "Bearer \(Self.token.dropLast())x"])
            #expect(wrong.status == .unauthorized)

            _ = try await browser.sign(email: "metrics@example.org")
            let page = try await browser.get("/metrics", headers: [.authorization: "Bearer \(Self.token)"])
            #expect(page.status == .ok)
            #expect(page.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
            #expect(page.body.contains("# TYPE vigil_signatures gauge"))
            #expect(page.body.contains(#"vigil_signatures{state="pending"} 1.0"#))
            #expect(page.body.contains(#"vigil_signatures{state="confirmed"} 0.0"#))
            #expect(page.body.contains(#"vigil_mail_outbox{status="failed"} 0.0"#))
            #expect(page.body.contains("# TYPE vigil_signature_batch_size histogram"))
            #expect(page.body.contains(#"vigil_signature_batch_size_bucket{le="1.0"} 1"#))
            #expect(!page.body.contains("metrics@example.org"))
        }
    }

    @Test("a metrics token shorter than 16 characters is refused at start")
    func shortToken() async throws {
        await #expect {
            try VigilConfiguration(reader: try await VigilConfiguration.reader(environment: ["VIGIL_METRICS_TOKEN": "short"], file: nil))
        } throws: { error in
            "\(error)".contains("VIGIL_METRICS_TOKEN")
        }
    }
}
