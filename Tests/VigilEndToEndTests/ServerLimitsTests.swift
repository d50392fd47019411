import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Testing

/// Slow or oversized clients cannot hold the server: checked on the built binary, over real sockets.
@Suite(
    "Server limits",
    .serialized,
    .enabled(if: VigilProcess.isAvailable, "the vigil executable is not built next to the tests; run `swift build` first")
)
struct ServerLimitsTests {
    static let httpClient = HTTPClient(configuration: .init(redirectConfiguration: .disallow))

    @Test("a silent connection is closed after the idle timeout; oversized headers and bodies are refused")
    func limits() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-limits-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try VigilProcess(
            dataFolder: folder.appendingPathComponent("data"), port: try VigilProcess.freePort(), environment: ["VIGIL_IDLE_TIMEOUT": "1"]
        )
        try await server.waitUntilReady(client: Self.httpClient)

        // A client that connects and sends nothing.
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: server.port).get()
        let opened = ContinuousClock.now
        let closed = try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask { try await channel.closeFuture.get(); return true }
            group.addTask { try await Task.sleep(for: .seconds(10)); return false }
            let first = try await group.next() ?? false
            group.cancelAll()
            return first
        }
        let waited = ContinuousClock.now - opened
        print("limits test: a silent connection was closed after \(waited)")
        #expect(closed, "the server kept a silent connection open for 10 s")
        if !closed { try await channel.close() }

        // A header far over the limit.
        var request = HTTPClientRequest(url: server.baseURL + "/petitions/osce-moscow-mechanism")
        request.headers.add(name: "X-Padding", value: String(repeating: "a", count: 40 * 1024))
        let headerStatus = try? await Self.httpClient.execute(request, timeout: .seconds(10)).status
        #expect(headerStatus.map { $0.code >= 400 } ?? true, "a 40 KB header was answered with \(String(describing: headerStatus))")

        // A form body far over the limit.
        var post = HTTPClientRequest(url: server.baseURL + "/petitions/osce-moscow-mechanism/signatures")
        post.method = .POST
        post.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        post.body = .bytes(ByteBuffer(string: "name=" + String(repeating: "a", count: 200 * 1024)))
        let bodyStatus = try? await Self.httpClient.execute(post, timeout: .seconds(10)).status
        #expect(bodyStatus.map { $0 == .payloadTooLarge } ?? true, "a 200 KB form was answered with \(String(describing: bodyStatus))")

        print("limits test: 40 KB header → \(headerStatus.map { "\($0.code)" } ?? "connection closed"), 200 KB form → \(bodyStatus.map { "\($0.code)" } ?? "connection closed")")

        // And the server still answers everyone else.
        let page = try await Self.httpClient.execute(HTTPClientRequest(url: server.baseURL + "/healthz"), timeout: .seconds(10))
        #expect(page.status == .ok)
        _ = await server.terminate()
    }
}
