import AsyncHTTPClient
import Foundation
import NIOHTTP1
import Testing
import VigilCore
import VigilStore

/// The operator's side of the running binary: one server per data folder, metrics, and a
/// backup restored after the database was lost.
@Suite(
    "Operations of the running binary",
    .serialized,
    .enabled(if: VigilProcess.isAvailable, "the vigil executable is not built next to the tests; run `swift build` first")
)
struct OperationsProcessTests {
    static let httpClient = HTTPClient(configuration: .init(redirectConfiguration: .disallow))
    static let metricsToken = "0123456789abcdef0123456789abcdef"

    @Test("a second server on the same data folder refuses to start, naming the folder and the first one's pid; after kill -9 a new one starts")
    func oneServerPerFolder() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-lock-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let dataFolder = folder.appendingPathComponent("data")
        let first = try VigilProcess(dataFolder: dataFolder, port: try VigilProcess.freePort())
        do {
            try await first.waitUntilReady(client: Self.httpClient)

            let second = try VigilProcess(dataFolder: dataFolder, port: try VigilProcess.freePort())
            let refused = await second.waitForExit(timeout: .seconds(30))
            if !refused { second.crash() }
            #expect(refused, "the second server kept running")
            #expect(second.exitStatus != 0)
            #expect(second.log.contains(dataFolder.path), "\(second.log)")
            #expect(second.log.contains("pid \(first.pid)"), "\(second.log)")

            // Migrating under a running server is refused too; a backup is not.
            let migrate = try await CommandLineTests.vigil(["migrate"], dataFolder: dataFolder)
            #expect(migrate.status != 0)
            #expect(migrate.output.contains("pid \(first.pid)"), "\(migrate.output)")
            let backup = try await CommandLineTests.vigil(["backup", "--to", folder.appendingPathComponent("copy.sqlite").path], dataFolder: dataFolder)
            #expect(backup.status == 0, "\(backup.output)")

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

    @Test("/metrics of the running server counts requests by route pattern and status, with latencies and batch sizes")
    func metrics() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-metrics-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try VigilProcess(
            dataFolder: folder.appendingPathComponent("data"), port: try VigilProcess.freePort(),
            environment: ["VIGIL_METRICS_TOKEN": Self.metricsToken]
        )
        defer { server.crash() }
        try await server.waitUntilReady(client: Self.httpClient)
        let session = try await SigningSession.open(Self.httpClient, baseURL: server.baseURL)
        #expect(try await session.sign(email: "metrics1@example.org") == .seeOther)
        #expect(try await session.sign(email: "metrics2@example.org") == .seeOther)
        _ = try await Self.httpClient.execute(HTTPClientRequest(url: server.baseURL + "/no/such/page"), timeout: .seconds(10))

        var request = HTTPClientRequest(url: server.baseURL + "/metrics")
        request.headers.add(name: "Authorization", value: "Bearer \(Self.metricsToken)")
        // Hummingbird counts a request once its response is written, so the last one may be
        // counted a moment after its answer arrived here.
        var text = ""
        for _ in 0..<50 {
            let response = try await Self.httpClient.execute(request, timeout: .seconds(10))
            #expect(response.status == .ok)
            text = String(buffer: try await response.body.collect(upTo: 1 << 22))
            if text.contains(#"status="404""#) { break }
            try await Task.sleep(for: .milliseconds(100))
        }

        let pageLine = text.split(separator: "\n").first {
            $0.hasPrefix("http_requests_total{") && $0.contains(#"route="/petitions/{slug}""#) && $0.contains(#"method="GET""#)
                && $0.contains(#"status="200""#)
        }
        #expect(pageLine != nil, "\(text)")
        #expect(text.contains(#"route="/petitions/{slug}/signatures""#) && text.contains(#"status="303""#), "\(text)")
        #expect(text.contains(#"status="404""#), "\(text)")
        // Routes are patterns, never the paths asked for.
        #expect(!text.contains("osce-moscow-mechanism") && !text.contains("/no/such/page"))
        #expect(text.contains("# TYPE http_request_duration_seconds histogram"))
        #expect(text.contains("http_request_duration_seconds_bucket{"))
        #expect(text.contains("# TYPE vigil_signature_batch_size histogram"))
        #expect(text.contains(#"vigil_signatures{state="pending"} 2.0"#), "\(text)")
        #expect(text.contains(#"vigil_mail_outbox{status="queued"}"#))
    }

    @Test("restore drill: a backup taken while the server runs brings back the same tally log and counters after the database is lost")
    func restoreDrill() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-restore-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let dataFolder = folder.appendingPathComponent("data")
        let copy = folder.appendingPathComponent("backup.sqlite")
        let server = try VigilProcess(dataFolder: dataFolder, port: try VigilProcess.freePort())
        do {
            try await server.waitUntilReady(client: Self.httpClient)
            let session = try await SigningSession.open(Self.httpClient, baseURL: server.baseURL)
            for index in 0..<5 {
                #expect(try await session.sign(email: "restore\(index)@example.org") == .seeOther)
            }
            for (_, path) in try await CrashTests.mailedLinks(in: dataFolder, expecting: 5).prefix(4) {
                #expect(try await session.post(path, []) == .seeOther)
            }
            let backup = try await CommandLineTests.vigil(["backup", "--to", copy.path], dataFolder: dataFolder)
            #expect(backup.status == 0, "\(backup.output)")
            #expect(backup.output.contains("master.key") && backup.output.contains("log.key"))
            let again = try await CommandLineTests.vigil(["backup", "--to", copy.path], dataFolder: dataFolder)
            #expect(again.status != 0)
            #expect(again.output.contains("already exists"), "\(again.output)")
        } catch {
            server.crash()
            throw error
        }
        _ = await server.terminate()
        let mode = try FileManager.default.attributesOfItem(atPath: copy.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        let before = try await Self.tallyState(dataFolder)
        #expect(before.size == 4 && before.counts.confirmed == 4)

        // The disk is lost; the keys were backed up apart and are still there.
        for suffix in ["", "-wal", "-shm"] {
            try? FileManager.default.removeItem(at: dataFolder.appendingPathComponent("vigil.sqlite\(suffix)"))
        }
        try FileManager.default.copyItem(at: copy, to: dataFolder.appendingPathComponent("vigil.sqlite"))

        let restarted = try VigilProcess(dataFolder: dataFolder, port: try VigilProcess.freePort())
        do {
            try await restarted.waitUntilReady(client: Self.httpClient)
            let readiness = try await Self.httpClient.execute(HTTPClientRequest(url: restarted.baseURL + "/readyz"), timeout: .seconds(10))
            #expect(readiness.status == .ok)
        } catch {
            restarted.crash()
            throw error
        }
        _ = await restarted.terminate()
        let after = try await Self.tallyState(dataFolder)
        #expect(after.size == before.size)
        #expect(after.root == before.root)
        #expect(after.counts == before.counts)
        #expect(after.recount == before.counts.confirmed)
        #expect(after.integrity == "ok")
    }

    /// The campaign petition's tally log and counters, read from the data folder's database.
    static func tallyState(
        _ dataFolder: URL
    ) async throws -> (size: UInt64, root: MerkleHash, counts: PetitionCounts, recount: Int, integrity: String) {
        let key = try DataFolder(url: dataFolder).loadOrCreateMasterKey().key
        let store = try await Store.openSQLite(
            path: dataFolder.appendingPathComponent("vigil.sqlite").path, cipher: PersonalDataCipher(masterKey: key)
        )
        do {
            let state = try await PostgresOperationsTests.tallyState(store, closing: false)
            let integrity = try await store.integrityCheck()
            await store.close()
            return (state.size, state.root, state.counts, state.recount, integrity)
        } catch {
            await store.close()
            throw error
        }
    }
}
