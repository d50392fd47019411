import AsyncHTTPClient
import Foundation
import NIOHTTP1
import Testing
import VigilCore
@testable import VigilStore
import VigilTestSupport

/// Two `vigil serve` processes on one PostgreSQL database, as behind a load balancer.
@Suite(
    "Two servers on one PostgreSQL",
    .serialized,
    .enabled(if: VigilProcess.isAvailable, "the vigil executable is not built next to the tests; run `swift build` first"),
    .enabled(if: TestDatabase.postgresURL != nil, TestDatabase.postgresSkipReason)
)
struct TwoServersTests {
    static let httpClient = HTTPClient(configuration: .init(redirectConfiguration: .disallow))
    static let signers = 60

    @Test("signing and confirming through both at once: counters equal a recount, one log entry per signer, each e-mail sent once")
    func signAndConfirmThroughBoth() async throws {
        let url = try #require(TestDatabase.postgresURL)
        let schema = TestDatabase.freshSchemaName()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-two-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let folders = [folder.appendingPathComponent("a"), folder.appendingPathComponent("b")]
        let database = ["VIGIL_DATABASE_URL": url, "VIGIL_DATABASE_SCHEMA": schema]

        // The first server creates the keys and loads the campaign; the second gets copies of the keys.
        let first = try VigilProcess(dataFolder: folders[0], port: try VigilProcess.freePort(), environment: database)
        var servers = [first]
        do {
            try await first.waitUntilReady(client: Self.httpClient)
            try FileManager.default.createDirectory(at: folders[1], withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: folders[0].appendingPathComponent("keys"), to: folders[1].appendingPathComponent("keys"))
            let second = try VigilProcess(dataFolder: folders[1], port: try VigilProcess.freePort(), environment: database)
            servers.append(second)
            try await second.waitUntilReady(client: Self.httpClient)

            let sessions = [
                try await SigningSession.open(Self.httpClient, baseURL: first.baseURL),
                try await SigningSession.open(Self.httpClient, baseURL: second.baseURL),
            ]
            let signed = try await withThrowingTaskGroup(of: HTTPResponseStatus.self) { group in
                for index in 0..<Self.signers {
                    group.addTask { try await sessions[index % 2].sign(email: "two\(index)@example.org") }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(signed.allSatisfy { $0 == .seeOther }, "\(signed)")

            // Both mail workers run; every confirmation e-mail must come out of exactly one of them.
            let confirmations = try await Self.mails(in: folders, matching: #"/confirm/[A-Za-z0-9_-]{48}"#, expecting: Self.signers)
            #expect(confirmations.count == Self.signers, "\(confirmations.count) confirmation e-mails for \(Self.signers) signers")
            #expect(Set(confirmations.map(\.recipient)).count == Self.signers, "an address got two confirmation e-mails")

            // Each link is followed through the server that did not send it.
            let confirmed = try await withThrowingTaskGroup(of: HTTPResponseStatus.self) { group in
                for (index, mail) in confirmations.enumerated() {
                    group.addTask { try await sessions[(index + 1) % 2].post(mail.link, []) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(confirmed.allSatisfy { $0 == .seeOther }, "\(confirmed)")
            let receipts = try await Self.mails(in: folders, matching: #"leaf hash\): +[0-9a-f]{64}"#, expecting: Self.signers)
            #expect(receipts.count == Self.signers && Set(receipts.map(\.recipient)).count == Self.signers)
        } catch {
            for server in servers { server.crash() }
            await TestDatabase.dropSchema(schema, url: url)
            throw error
        }
        for server in servers { _ = await server.terminate() }

        let key = try DataFolder(url: folders[0]).loadOrCreateMasterKey().key
        let store = try await Store.openPostgres(
            PostgresLocation(url: url, schema: schema), cipher: PersonalDataCipher(masterKey: key), logger: TestStore.quietLogger
        )
        do {
            let petition = try #require(try await store.petition(slug: "osce-moscow-mechanism"))
            let counts = try await store.storedCounts(petitionID: petition.id)
            let recount = try await store.recount(petitionID: petition.id)
            #expect(counts.confirmed == Self.signers && recount.confirmed == Self.signers)
            #expect(counts.byCountry == recount.byCountry && counts.byChannel == recount.byChannel && counts.byDay == recount.byDay)
            let size = try await store.tallySize(petitionID: petition.id)
            #expect(size == UInt64(Self.signers))
            let entries = try await store.tallyEntries(petitionID: petition.id, range: 0..<size).map { try TallyEntry(bytes: $0.bytes) }
            #expect(try TallyTotals.of(entries).counted == Self.signers)
            let numbers = try await store.reader.raw(
                "SELECT signer_number FROM signatures WHERE status = 'confirmed' ORDER BY signer_number"
            ).all().map { try $0.decode(column: "signer_number", as: Int.self) }
            #expect(numbers == Array(1...Self.signers), "signer numbers are not one unbroken sequence")
            #expect(try await store.outboxSummary().sent == 2 * Self.signers)
        } catch {
            await store.close()
            throw error
        }
        await store.close()
        await TestDatabase.dropSchema(schema, url: url)
    }

    /// A mail written by either server's file transport.
    struct Mail {
        let recipient: String
        let link: String
    }

    /// The e-mails in the servers' mail folders holding text that matches `pattern`, waiting until there
    /// are `count` of them (or a while has passed), and a moment more to see any sent twice.
    static func mails(in folders: [URL], matching pattern: String, expecting count: Int) async throws -> [Mail] {
        var found: [Mail] = []
        for round in 0..<200 {
            found = []
            for folder in folders {
                let mailFolder = folder.appendingPathComponent("mail")
                for name in (try? FileManager.default.contentsOfDirectory(atPath: mailFolder.path)) ?? [] where name.hasSuffix(".eml") {
                    guard let text = try? String(contentsOf: mailFolder.appendingPathComponent(name), encoding: .utf8) else { continue }
                    let unfolded = text.replacingOccurrences(of: "=\r\n", with: "")
                    guard let to = unfolded.range(of: #"To: [^\r]*<([^>]+)>"#, options: .regularExpression),
                          let link = unfolded.range(of: pattern, options: .regularExpression)
                    else { continue }
                    let recipient = String(unfolded[to]).components(separatedBy: "<").last?.dropLast() ?? ""
                    found.append(Mail(recipient: String(recipient), link: String(unfolded[link])))
                }
            }
            if found.count >= count && round > 0 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        try await Task.sleep(for: .milliseconds(500))
        return found
    }
}
