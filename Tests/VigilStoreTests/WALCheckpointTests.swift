import Foundation
import Testing
import VigilCore
import VigilTestSupport
@testable import VigilStore

@Suite("Write-ahead log on SQLite")
struct WALCheckpointTests {
    @Test("commits reach the database file beside the writer, long before SQLite's own threshold would copy them")
    func checkpointsBesideTheWriter() async throws {
        try await TestStore.with { test in
            guard case .sqlite(let path) = test.location else { return }
            for index in 0..<20 {
                _ = try await test.store.signatureWriter.sign(try await test.request(email: "wal\(index)@example.org"))
            }
            // The database file alone, without its log, holds only what was checkpointed.
            let copy = test.folder.appendingPathComponent("file-only.sqlite")
            var queued = 0
            let deadline = ContinuousClock.now + .seconds(20)
            while queued < 20 && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
                // A copy taken while a checkpoint writes may not open; the next look will.
                queued = (try? await Self.queuedMail(inFileOnly: path, copy: copy)) ?? 0
            }
            #expect(queued == 20, "the 20 confirmation e-mails are in the database file, not only in its log")
        }
    }

    /// Opens a copy of the database file without its write-ahead log and counts queued e-mail.
    static func queuedMail(inFileOnly path: String, copy: URL) async throws -> Int {
        try? FileManager.default.removeItem(at: copy)
        try FileManager.default.copyItem(at: URL(fileURLWithPath: path), to: copy)
        let store = try await Store.openSQLite(
            path: copy.path, cipher: PersonalDataCipher(masterKey: TestStore.masterKey), logger: TestStore.quietLogger
        )
        do {
            let queued = try await store.outboxSummary().queued
            await store.close()
            return queued
        } catch {
            await store.close()
            throw error
        }
    }
}
