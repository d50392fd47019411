import Foundation
import Testing
import VigilCore
@testable import VigilStore
import VigilTestSupport

/// Moving a campaign from SQLite into PostgreSQL, and backing PostgreSQL up with its own tools.
@Suite(
    "PostgreSQL operations: db copy, pg_dump restore drill",
    .serialized,
    .enabled(if: VigilProcess.isAvailable, "the vigil executable is not built next to the tests; run `swift build` first"),
    .enabled(if: TestDatabase.postgresURL != nil, TestDatabase.postgresSkipReason)
)
struct PostgresOperationsTests {
    @Test("vigil db copy moves every row, checks the tally root on both sides, and refuses a destination that holds data")
    func copyFromSQLite() async throws {
        let url = try #require(TestDatabase.postgresURL)
        let schema = TestDatabase.freshSchemaName()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-copy-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let dataFolder = folder.appendingPathComponent("data")
        let seeded = try await CommandLineTests.vigil(["bench", "seed", "--signatures", "1200"], dataFolder: dataFolder)
        try #require(seeded.status == 0, "\(seeded.output)")

        let copy = try await CommandLineTests.vigil(["db", "copy", "--to", url, "--schema", schema], dataFolder: dataFolder)
        #expect(copy.status == 0, "\(copy.output)")
        #expect(copy.output.contains("1200 entries"), "\(copy.output)")
        let again = try await CommandLineTests.vigil(["db", "copy", "--to", url, "--schema", schema], dataFolder: dataFolder)
        #expect(again.status != 0)
        #expect(again.output.contains("already holds data"), "\(again.output)")
        let wrongSource = try await CommandLineTests.vigil(["db", "copy", "--from", "mysql:x", "--to", url], dataFolder: dataFolder)
        #expect(wrongSource.status != 0 && wrongSource.output.contains("sqlite:PATH"), "\(wrongSource.output)")

        let key = PersonalDataCipher(masterKey: try DataFolder(url: dataFolder).loadOrCreateMasterKey().key)
        let source = try await Self.tallyState(try await Store.openSQLite(
            path: dataFolder.appendingPathComponent("vigil.sqlite").path, cipher: key, logger: TestStore.quietLogger
        ))
        let copied = try await Self.tallyState(try await Store.openPostgres(
            PostgresLocation(url: url, schema: schema), cipher: key, logger: TestStore.quietLogger
        ))
        #expect(source.size == 1200)
        #expect(copied.size == source.size && copied.root == source.root)
        #expect(copied.counts == source.counts && copied.recount == 1200)
        await TestDatabase.dropSchema(schema, url: url)
    }

    @Test(
        "restore drill: pg_dump while signing, the schema dropped, pg_restore brings back the same log and counters",
        .enabled(if: PostgresTools.find("pg_dump") != nil, "pg_dump and pg_restore are not installed (Debian: postgresql-client)")
    )
    func dumpAndRestore() async throws {
        let url = try #require(TestDatabase.postgresURL)
        let dump = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-\(UUID().uuidString).dump")
        defer { try? FileManager.default.removeItem(at: dump) }
        try await TestDatabase.$current.withValue(.postgres(url: url)) {
            try await TestStore.with { test in
                guard case .postgres(let location) = test.location else { throw VigilProcess.Failure("not on PostgreSQL") }
                for index in 0..<30 {
                    _ = try await test.store.signatureWriter.sign(try await test.request(email: "drill\(index)@example.org"))
                    let token = try #require(try await test.confirmationToken(for: "drill\(index)@example.org"))
                    _ = try await test.store.signatureWriter.confirm(token)
                }
                // Signing goes on while the dump runs: the dump is one snapshot, before or after each commit.
                let writer = test.store.signatureWriter
                let more = Task {
                    for index in 30..<60 { _ = try await writer.sign(try await test.request(email: "drill\(index)@example.org")) }
                }
                let dumped = try await PostgresTools.run("pg_dump", ["--format=custom", "--schema=\(location.schema)", "--file=\(dump.path)", url])
                #expect(dumped.status == 0, "\(dumped.output)")
                try await more.value
                let before = try await Self.tallyState(test.store, closing: false)
                #expect(before.size == 30)

                try await test.store.write { try await $0.raw("DROP SCHEMA \(ident: location.schema) CASCADE").run() }
                let restored = try await PostgresTools.run("pg_restore", ["--dbname=\(url)", dump.path])
                #expect(restored.status == 0, "\(restored.output)")
                let after = try await Self.tallyState(try await test.open())
                #expect(after.size == before.size && after.root == before.root)
                #expect(after.counts == before.counts && after.recount == 30)
            }
        }
    }

    /// The campaign petition's log and counters, read through a store, which is then closed.
    static func tallyState(
        _ store: Store, closing: Bool = true
    ) async throws -> (size: UInt64, root: MerkleHash, counts: PetitionCounts, recount: Int) {
        do {
            let petition = try #require(try await store.petition(slug: "osce-moscow-mechanism"))
            let size = try await store.tallySize(petitionID: petition.id)
            let state = (
                size: size,
                root: try await store.tallyRoot(petitionID: petition.id, size: size),
                counts: try await store.storedCounts(petitionID: petition.id),
                recount: try await store.recount(petitionID: petition.id).confirmed
            )
            if closing { await store.close() }
            return state
        } catch {
            if closing { await store.close() }
            throw error
        }
    }
}

/// PostgreSQL's command-line tools, from Debian's packages.
enum PostgresTools {
    /// The newest installed copy of a tool.
    static func find(_ tool: String) -> URL? {
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        return folders.sorted { $0.compare($1, options: .numeric) == .orderedDescending }
            .map { URL(fileURLWithPath: "/usr/lib/postgresql/\($0)/bin/\(tool)") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    static func run(_ tool: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
        guard let executable = find(tool) else { throw VigilProcess.Failure("\(tool) is not installed") }
        return try await CommandLineTests.run(executable, arguments, environment: ProcessInfo.processInfo.environment)
    }
}
