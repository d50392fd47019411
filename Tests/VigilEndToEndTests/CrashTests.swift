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

    @Test("kill -9 six times while signing and confirming: nothing acknowledged is lost, no e-mail is lost, counters equal a recount")
    func killDuringWrites() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-crash-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let dataFolder = folder.appendingPathComponent("data")
        let port = try VigilProcess.freePort()
        let kills = 6
        var signed: [String] = []
        var confirmed: [String] = []

        // Each round: start the server, let four clients sign new addresses and four confirm the
        // links mailed so far, and kill it mid-write.
        for round in 1...kills {
            let server = try VigilProcess(dataFolder: dataFolder, port: port)
            try await server.waitUntilReady(client: Self.httpClient)
            let session = try await SigningSession.open(Self.httpClient, baseURL: server.baseURL)
            let alreadyConfirmed = Set(confirmed)
            let queue = Locked(Array(try await Self.mailedLinks(in: dataFolder, expecting: 0).filter { !alreadyConfirmed.contains($0.0) }.shuffled()))
            let acknowledged = try await Self.storm(clients: 8, until: .milliseconds(700), crashing: server) { client, index in
                if client % 2 == 0 {
                    let email = "r\(round)-c\(client)-\(index)@example.org"
                    return try await session.sign(email: email) == .seeOther ? "signed:" + email : nil
                }
                guard let (email, path) = queue.withLock({ $0.popLast() }) else { return nil }
                return try await session.post(path, []) == .seeOther ? "confirmed:" + email : nil
            }
            signed += acknowledged.compactMap { $0.hasPrefix("signed:") ? String($0.dropFirst(7)) : nil }
            confirmed += acknowledged.compactMap { $0.hasPrefix("confirmed:") ? String($0.dropFirst(10)) : nil }
        }

        // Last: restart, let the outbox drain, and check everything against the database.
        let server = try VigilProcess(dataFolder: dataFolder, port: port)
        try await server.waitUntilReady(client: Self.httpClient)
        let key = try DataFolder(url: dataFolder).loadOrCreateMasterKey().key
        let store = try await Store.openSQLite(
            path: dataFolder.appendingPathComponent("vigil.sqlite").path,
            cipher: PersonalDataCipher(masterKey: key)
        )
        for _ in 0..<200 where try await store.outboxSummary().queued + store.outboxSummary().sending > 0 {
            try await Task.sleep(for: .milliseconds(50))
        }
        let petition = try #require(try await store.petition(slug: "osce-moscow-mechanism"))
        var signing = Figures(acknowledged: signed.count)
        for email in signed where try await store.signatureStatus(petitionID: petition.id, email: EmailAddress(email)) != nil {
            signing.found += 1
        }
        var confirming = Figures(acknowledged: confirmed.count)
        for email in confirmed where try await store.signatureStatus(petitionID: petition.id, email: EmailAddress(email)) == .confirmed {
            confirming.found += 1
        }
        let mailed = try Self.confirmationRecipients(in: dataFolder)
        // A message claimed by a server that was then killed waits for its lease to expire and
        // is sent then: it is late, not lost, as long as it is still in the outbox.
        let waiting = Set(try await store.unsentMail().filter { $0.kind == .confirmSignature }.map(\.recipient))
        let unmailed = Set(signed).subtracting(mailed)
        let lostMail = unmailed.subtracting(waiting)
        let recount = try await store.recount(petitionID: petition.id)
        let stored = try await store.storedCounts(petitionID: petition.id)
        let integrity = try await store.integrityCheck()
        let logSize = try await store.tallySize(petitionID: petition.id)
        let logEntries = try await store.tallyEntries(petitionID: petition.id, range: 0..<logSize).map { try TallyEntry(bytes: $0.bytes) }
        let logCount = try TallyTotals.of(logEntries).counted
        await store.close()
        print(
            "crash test: kills \(kills); signing: \(signing); confirming: \(confirming); rows \(recount.pending + recount.confirmed); "
                + "confirmation e-mails sent \(mailed.count), waiting for a lease \(unmailed.count), lost \(lostMail.count); "
                + "log \(logCount) = counters \(stored.confirmed); integrity \(integrity)"
        )

        #expect(signing.found == signing.acknowledged)
        #expect(confirming.found == confirming.acknowledged)
        #expect(lostMail.isEmpty, "every acknowledged signature's confirmation e-mail was sent or is still in the outbox")
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

    /// The recipients of the confirmation e-mails written so far. (The file transport names each
    /// file by its Message-ID, so a message sent again replaces its file; duplicates are the SMTP
    /// tests' concern.)
    static func confirmationRecipients(in dataFolder: URL) throws -> Set<String> {
        let mailFolder = dataFolder.appendingPathComponent("mail")
        var recipients: Set<String> = []
        for name in try FileManager.default.contentsOfDirectory(atPath: mailFolder.path) {
            let text = try String(contentsOf: mailFolder.appendingPathComponent(name), encoding: .utf8)
            let unfolded = text.replacingOccurrences(of: "=\r\n", with: "")
            guard unfolded.range(of: #"/confirm/[A-Za-z0-9_-]{48}"#, options: .regularExpression) != nil,
                  let to = unfolded.range(of: #"To: [^\r]*<([^>]+)>"#, options: .regularExpression)
            else { continue }
            recipients.insert(String(String(unfolded[to]).components(separatedBy: "<").last?.dropLast() ?? ""))
        }
        return recipients
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
                      let link = unfolded.range(of: #"/confirm/[A-Za-z0-9_-]{48}"#, options: .regularExpression)
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
