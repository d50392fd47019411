import AsyncHTTPClient
import Foundation
import NIOHTTP1
import Testing
import VigilCore
import VigilStore

/// The operator's side of the running binary: one server per data folder.
@Suite(
    "Operations of the running binary",
    .serialized,
    .enabled(if: VigilProcess.isAvailable, "the vigil executable is not built next to the tests; run `swift build` first")
)
struct OperationsProcessTests {
    static let httpClient = HTTPClient(configuration: .init(redirectConfiguration: .disallow))

    @Test("a second server on the same data folder refuses to start, naming the folder and the first one's pid; after kill -9 a new one starts")
    func oneServerPerFolder() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-lock-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let dataFolder = folder.appendingPathComponent("data")
        let first = try VigilProcess(dataFolder: dataFolder, port: try VigilProcess.freePort())
        do {
            try await first.waitUntilReady(client: Self.httpClient)

            let second = try VigilProcess(dataFolder: dataFolder, port: try VigilProcess.freePort())
            #expect(await second.waitForExit(), "the second server kept running")
            #expect(second.exitStatus != 0)
            #expect(second.log.contains(dataFolder.path), "\(second.log)")
            #expect(second.log.contains("pid \(first.pid)"), "\(second.log)")

            // Migrating under a running server is refused too.
            let migrate = try CommandLineTests.vigil(["migrate"], dataFolder: dataFolder)
            #expect(migrate.status != 0)
            #expect(migrate.output.contains("pid \(first.pid)"), "\(migrate.output)")

            let readiness = try await Self.httpClient.execute(HTTPClientRequest(url: first.baseURL + "/readyz"), timeout: .seconds(10))
            #expect(readiness.status == .ok)
        } catch {
            first.crash()
            throw error
        }

        // The kernel drops a killed process's lock: nothing stale is left behind.
        first.crash()
        let third = try VigilProcess(dataFolder: dataFolder, port: try VigilProcess.freePort())
        try await third.waitUntilReady(client: Self.httpClient)
        #expect(await third.terminate() < .seconds(30))
        #expect(third.exitStatus == 0)
    }
}
