import AsyncHTTPClient
import Foundation
import NIOHTTP1
import Testing
import VigilCore
import VigilStore

/// The running binary is killed while it signs and confirms. Every request that was answered
/// with 303 must be in the database afterwards, and the counters must equal a recount.
@Suite(
    "Crashes and shutdown",
    .serialized,
    .enabled(if: VigilProcess.isAvailable, "the vigil executable is not built next to the tests; run `swift build` first")
)
struct CrashTests {
    static let httpClient = HTTPClient(configuration: .init(redirectConfiguration: .disallow))

    struct Figures: CustomStringConvertible {
        var acknowledged = 0
        var found = 0
        var description: String { "acknowledged \(acknowledged), found \(found), lost \(acknowledged - found)" }
    }

    @Test("kill -9 while signing and while confirming: nothing acknowledged is lost, counters equal a recount")
    func killDuringWrites() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-crash-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let dataFolder = folder.appendingPathComponent("data")
        let port = try VigilProcess.freePort()

        // Round 1: kill while eight clients sign.
        var server = try VigilProcess(dataFolder: dataFolder, port: port)
        try await server.waitUntilReady(client: Self.httpClient)
        let signingSession = try await SigningSession.open(Self.httpClient, baseURL: server.baseURL)
        let signed = try await Self.storm(clients: 8, until: .milliseconds(1500), crashing: server) { client, index in
            let email = "c\(client)-\(index)@example.org"
            return try await signingSession.sign(email: email) == .seeOther ? email : nil
        }
        #expect(signed.count > 0)

        // Round 2: restart, confirm the links that were mailed, and kill while confirming.
        server = try VigilProcess(dataFolder: dataFolder, port: port)
        try await server.waitUntilReady(client: Self.httpClient)
        let links = try await Self.mailedLinks(in: dataFolder, expecting: min(signed.count, 200))
        let confirmingSession = try await SigningSession.open(Self.httpClient, baseURL: server.baseURL)
        let queue = Locked(Array(links.shuffled()))
        let confirmed = try await Self.storm(clients: 8, until: .milliseconds(600), crashing: server) { _, _ in
            guard let (email, path) = queue.withLock({ $0.popLast() }) else { return nil }
            return try await confirmingSession.post(path, []) == .seeOther ? email : nil
        }

        // Round 3: restart and check everything against the database.
        server = try VigilProcess(dataFolder: dataFolder, port: port)
        try await server.waitUntilReady(client: Self.httpClient)
        let key = try DataFolder(url: dataFolder).loadOrCreateMasterKey().key
        let store = try await Store.openSQLite(
            path: dataFolder.appendingPathComponent("vigil.sqlite").path,
            cipher: PersonalDataCipher(masterKey: key)
        )
        let petition = try #require(try await store.petition(slug: "osce-moscow-mechanism"))
        var signing = Figures(acknowledged: signed.count)
        for email in signed where try await store.signatureStatus(petitionID: petition.id, email: EmailAddress(email)) != nil {
            signing.found += 1
        }
        var confirming = Figures(acknowledged: confirmed.count)
        for email in confirmed where try await store.signatureStatus(petitionID: petition.id, email: EmailAddress(email)) == .confirmed {
            confirming.found += 1
        }
        let recount = try await store.recount(petitionID: petition.id)
        let stored = try await store.storedCounts(petitionID: petition.id)
        let integrity = try await store.integrityCheck()
        let logSize = try await store.tallySize(petitionID: petition.id)
        let logEntries = try await store.tallyEntries(petitionID: petition.id, range: 0..<logSize).map { try TallyEntry(bytes: $0.bytes) }
        let logCount = try TallyTotals.of(logEntries).counted
        await store.close()
        print("crash test: kills 2; signing: \(signing); confirming: \(confirming); rows \(recount.pending + recount.confirmed); integrity \(integrity)")

        #expect(signing.found == signing.acknowledged)
        #expect(confirming.found == confirming.acknowledged)
        #expect(stored.confirmed == recount.confirmed)
        #expect(stored.byCountry == recount.byCountry)
        // The tally log was appended in the same transactions, so it lost nothing either.
        #expect(logCount == recount.confirmed)
        #expect(recount.confirmed >= confirmed.count)
        #expect(integrity == "ok")
        _ = await server.terminate()
    }

    @Test("SIGTERM stops taking requests, finishes those in flight and exits cleanly within seconds")
    func gracefulShutdown() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-term-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let dataFolder = folder.appendingPathComponent("data")
        let server = try VigilProcess(dataFolder: dataFolder, port: try VigilProcess.freePort())
        try await server.waitUntilReady(client: Self.httpClient)
        let session = try await SigningSession.open(Self.httpClient, baseURL: server.baseURL)
        let elapsed = Locked<Duration?>(nil)
        let signed = try await Self.storm(clients: 8, until: .milliseconds(700), stopping: {
            let took = await server.terminate()
            elapsed.withLock { $0 = took }
        }) { client, index in
            let email = "t\(client)-\(index)@example.org"
            return try await session.sign(email: email) == .seeOther ? email : nil
        }
        #expect(server.exitStatus == 0, "\(server.log)")
        let took = try #require(elapsed.withLock { $0 })
        #expect(took < .seconds(10))

        let key = try DataFolder(url: dataFolder).loadOrCreateMasterKey().key
        let store = try await Store.openSQLite(
            path: dataFolder.appendingPathComponent("vigil.sqlite").path,
            cipher: PersonalDataCipher(masterKey: key)
        )
        let petition = try #require(try await store.petition(slug: "osce-moscow-mechanism"))
        var missing = 0
        for email in signed where try await store.signatureStatus(petitionID: petition.id, email: EmailAddress(email)) == nil {
            missing += 1
        }
        await store.close()
        print("shutdown test: acknowledged \(signed.count), lost \(missing), exit after \(took)")
        #expect(signed.count > 0)
        #expect(missing == 0)
    }

    /// Runs `clients` loops of `work` until `duration` has passed, then crashes the server
    /// while they are still sending; returns what each loop reported as acknowledged.
    static func storm(
        clients: Int,
        until duration: Duration,
        crashing server: VigilProcess,
        work: @escaping @Sendable (Int, Int) async throws -> String?
    ) async throws -> [String] {
        try await storm(clients: clients, until: duration, stopping: { server.crash() }, work: work)
    }

    static func storm(
        clients: Int,
        until duration: Duration,
        stopping stop: @escaping @Sendable () async -> Void,
        work: @escaping @Sendable (Int, Int) async throws -> String?
    ) async throws -> [String] {
        let acknowledged = Locked<[String]>([])
        let running = Locked(true)
        await withTaskGroup(of: Void.self) { group in
            for client in 0..<clients {
                group.addTask {
                    var index = 0
                    while running.withLock({ $0 }) {
                        do {
                            // `nil`: this client has nothing more to send.
                            guard let done = try await work(client, index) else { return }
                            acknowledged.withLock { $0.append(done) }
                        } catch {
                            return // the server is gone: this client stops
                        }
                        index += 1
                    }
                }
            }
            group.addTask {
                try? await Task.sleep(for: duration)
                running.withLock { $0 = false }
                await stop()
            }
        }
        return acknowledged.withLock { $0 }
    }

    /// Confirmation links from the e-mails written so far, by recipient.
    static func mailedLinks(in dataFolder: URL, expecting count: Int) async throws -> [(String, String)] {
        let mailFolder = dataFolder.appendingPathComponent("mail")
        var links: [String: String] = [:]
        for _ in 0..<100 {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: mailFolder.path)) ?? [] {
                guard let text = try? String(contentsOf: mailFolder.appendingPathComponent(name), encoding: .utf8) else { continue }
                let unfolded = text.replacingOccurrences(of: "=\r\n", with: "")
                guard let to = unfolded.range(of: #"To: [^\r]*<([^>]+)>"#, options: .regularExpression),
                      let link = unfolded.range(of: #"/confirm/[A-Za-z0-9_-]{43}"#, options: .regularExpression)
                else { continue }
                let recipient = String(unfolded[to]).components(separatedBy: "<").last?.dropLast() ?? ""
                links[String(recipient)] = String(unfolded[link])
            }
            if links.count >= count { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        return links.map { ($0.key, $0.value) }
    }
}
