import Foundation
import MetricsTestKit
import Testing
import VigilCore
import VigilTestSupport
@testable import VigilStore

@Suite("Operations: readiness, states, backups, the data folder lock, batch sizes")
struct OperationsTests {
    @Test("ready while the database answers with this build's schema; not when it is ahead or closed", .onBothDatabases)
    func readiness() async throws {
        let test = try await TestStore.make()
        #expect(await test.store.readiness() == .ready)
        // As when a newer Vigil migrated the database under this one.
        try await test.store.write { database in
            try await database.raw(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (\(bind: Store.schemaVersion + 1), 'later', 0)"
            ).run()
        }
        let ahead = await test.store.readiness()
        #expect(ahead == .schemaMismatch(found: Store.schemaVersion + 1, expected: Store.schemaVersion))
        #expect(ahead.reason == "database schema version \(Store.schemaVersion + 1), this server expects \(Store.schemaVersion)")
        await test.shutdown()
        #expect(await test.store.readiness() == .unreachable)
    }

    @Test("signature states are counted in one query, with revoked signatures under their reason", .onBothDatabases)
    func signatureStates() async throws {
        try await TestStore.with { test in
            #expect(try await test.store.signatureStates() == ["pending": 0, "confirmed": 0, "held": 0, "withdrawn": 0, "invalidated": 0])
            try await signInEveryState(test)
            #expect(
                try await test.store.signatureStates() == ["pending": 1, "confirmed": 2, "held": 1, "withdrawn": 1, "invalidated": 0]
            )
            try await InvalidationTests.signAndConfirm(test, "e@made-up.example")
            let petitionID = try await test.petition().id
            let batch = try await test.store.invalidate(
                InvalidationCriteria(petitionID: petitionID, emailDomain: "made-up.example", summary: "made-up.example"),
                reason: "a made-up domain", audit: InvalidationTests.staff
            )
            #expect(
                try await test.store.signatureStates() == ["pending": 1, "confirmed": 2, "held": 1, "withdrawn": 1, "invalidated": 1]
            )
            var undo = InvalidationTests.staff
            undo.action = "signatures.invalidation-undone"
            _ = try await test.store.undoInvalidation(batchID: batch.id, audit: undo)
            #expect(
                try await test.store.signatureStates() == ["pending": 1, "confirmed": 3, "held": 1, "withdrawn": 1, "invalidated": 0]
            )
        }
    }

    @Test("the recount takes pending signatures as the rest, with a withdrawn one counted in no state", .onBothDatabases)
    func recountStates() async throws {
        try await TestStore.with { test in
            try await signInEveryState(test)
            let recount = try await test.store.recount(petitionID: try await test.petition().id)
            #expect(recount.confirmed == 2 && recount.pending == 1 && recount.held == 1, "\(recount)")
        }
    }

    /// Four signatures and one held back; three of the four confirmed, and one of those withdrawn.
    private func signInEveryState(_ test: TestStore) async throws {
        let writer = test.store.signatureWriter
        for email in ["a@example.org", "b@example.org", "c@example.org", "d@example.org"] {
            _ = try await writer.sign(try await test.request(email: email))
        }
        _ = try await writer.sign(try await test.request(email: "bot@example.org", hold: .honeypot))
        for email in ["a@example.org", "b@example.org", "c@example.org"] {
            _ = try await writer.confirm(try #require(try await test.confirmationToken(for: email)))
        }
        let petition = try await test.petition()
        let id = try #require(try await test.store.signatureID(petitionID: petition.id, email: EmailAddress("c@example.org")))
        _ = try await writer.revise(.withdraw(signatureID: id))
    }

    @Test("a backup taken while signatures are written is owner-only, never overwrites, and restores the same log and counts")
    func backup() async throws {
        try await TestStore.with { test in
            let writer = test.store.signatureWriter
            let petition = try await test.petition()
            for index in 0..<12 {
                _ = try await writer.sign(try await test.request(email: "s\(index)@example.org"))
            }
            for index in 0..<9 {
                _ = try await writer.confirm(try #require(try await test.confirmationToken(for: "s\(index)@example.org")))
            }
            let copy = test.folder.appendingPathComponent("backup.sqlite")
            // Signing goes on during the copy; the copy is one moment of it, before or after each commit.
            @Sendable func signMore() async throws {
                for index in 12..<40 { _ = try await writer.sign(try await test.request(email: "s\(index)@example.org")) }
            }
            async let more: Void = signMore()
            try await Store.backupSQLite(path: test.folder.appendingPathComponent("vigil.sqlite").path, to: copy)
            try await more

            let mode = try FileManager.default.attributesOfItem(atPath: copy.path)[.posixPermissions] as? Int
            #expect(mode == 0o600)
            await #expect(throws: StoreError.self) {
                try await Store.backupSQLite(path: test.folder.appendingPathComponent("vigil.sqlite").path, to: copy)
            }

            let size = try await test.store.tallySize(petitionID: petition.id)
            let root = try await test.store.tallyRoot(petitionID: petition.id, size: size)
            let counts = try await test.store.storedCounts(petitionID: petition.id)
            let restored = try await Store.openSQLite(
                path: copy.path, cipher: PersonalDataCipher(masterKey: TestStore.masterKey), logger: TestStore.quietLogger
            )
            #expect(try await restored.tallySize(petitionID: petition.id) == size)
            #expect(try await restored.tallyRoot(petitionID: petition.id, size: size) == root)
            #expect(try await restored.storedCounts(petitionID: petition.id) == counts)
            #expect(try await restored.recount(petitionID: petition.id).confirmed == 9)
            #expect(try await restored.integrityCheck() == "ok")
            await restored.close()
        }
    }

    @Test("a second holder of a data folder's lock is refused with the first one's pid, until the first lets go")
    func dataFolderLock() throws {
        let folder = DataFolder(url: FileManager.default.temporaryDirectory.appendingPathComponent("vigil-lock-\(UUID().uuidString)"))
        try folder.prepare()
        defer { try? FileManager.default.removeItem(at: folder.url) }
        var first: DataFolderLock? = try DataFolderLock.acquire(folder)
        #expect(first != nil)
        #expect {
            try DataFolderLock.acquire(folder)
        } throws: { error in
            guard case StoreError.dataFolderInUse(let path, let pid) = error else { return false }
            return path == folder.url.path && pid == getpid() && "\(error)".contains(folder.url.path)
        }
        first = nil
        // A process that other tests fork at this moment holds a copy of the descriptor until it
        // execs (the descriptor closes on exec); the lock is free once that copy is gone, and a
        // lock still held after the deadline throws out of the test.
        var second: DataFolderLock?
        let deadline = ContinuousClock.now + .seconds(2)
        while second == nil {
            do {
                second = try DataFolderLock.acquire(folder)
            } catch StoreError.dataFolderInUse where ContinuousClock.now < deadline {
                Thread.sleep(forTimeInterval: 0.01)
            }
        }
    }

    @Test("every committed batch records its size: the sizes add up to the requests")
    func batchSizes() async throws {
        let metrics = TestMetrics()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-metrics-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try await Store.openSQLite(
            path: folder.appendingPathComponent("vigil.sqlite").path,
            cipher: PersonalDataCipher(masterKey: TestStore.masterKey),
            durability: .normal,
            metrics: metrics,
            logger: TestStore.quietLogger
        )
        try await store.importContent(try CampaignContent.load(from: TestStore.contentFolder))
        let writer = store.signatureWriter
        let writerTask = Task { try await writer.run() }
        let petition = try #require(try await store.petition(slug: "osce-moscow-mechanism"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<60 {
                group.addTask {
                    let signature = try SignatureForm(name: "Ani Hakobyan", email: "m\(index)@example.org", country: "FR").validated().get()
                    _ = try await writer.sign(
                        SigningRequest(petitionID: petition.id, signature: signature, language: .english, textHash: TestStore.textHash)
                    )
                }
            }
            try await group.waitForAll()
        }
        writer.stopAccepting()
        _ = try await writerTask.value
        await store.close()

        let sizes = try metrics.expectRecorder(SignatureWriter.batchSizeMetric).values
        #expect(sizes.reduce(0, +) == 60)
        #expect(sizes.allSatisfy { (1.0...256.0).contains($0) })
    }
}
