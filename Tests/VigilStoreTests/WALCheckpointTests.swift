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

    @Test("under back-to-back writes and constant reads the log still starts over, a round a second")
    func logStartsOverUnderLoad() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-wal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("load.sqlite").path
        let connections = try await SQLiteConnections.open(path: path, readerCount: 2, synchronous: .normal, logger: TestStore.quietLogger)
        let fileLock = AsyncLock()
        let turns = WriteTurns(
            fileLock: fileLock,
            checkpointer: WALCheckpointer(database: connections.otherWrites, lock: AsyncLock(), fileLock: fileLock, logger: TestStore.quietLogger)
        )
        do {
            let writer = connections.signatureWriter
            try await writer.raw("CREATE TABLE rows (id INTEGER PRIMARY KEY, body BLOB NOT NULL)").run()
            try await turns.write { try await writer.raw("INSERT INTO rows (body) VALUES (randomblob(100))").run() }
            let startedOver = try Self.timesStartedOver(logOf: path)
            let end = ContinuousClock.now + .seconds(4)
            try await withThrowingTaskGroup(of: Void.self) { group in
                // One writer that is never idle, as the signature writer is in a spike: each write
                // waits only for the one before it.
                group.addTask {
                    while ContinuousClock.now < end {
                        try await turns.write {
                            try await writer.raw("BEGIN IMMEDIATE").run()
                            try await writer.raw("INSERT INTO rows (body) VALUES (randomblob(100))").run()
                            try await writer.raw("COMMIT").run()
                        }
                    }
                }
                // Readers keep snapshots of the log open, as the petition page and the mail worker do.
                for _ in 0..<2 {
                    group.addTask {
                        while ContinuousClock.now < end {
                            _ = try await connections.reader.raw("SELECT length(body) FROM rows ORDER BY id DESC LIMIT 1").all()
                        }
                    }
                }
                try await group.waitForAll()
            }
            // A round a second, each letting the next write start the log over; SQLite's own
            // threshold alone would not be reached in this time.
            #expect(try Self.timesStartedOver(logOf: path) - startedOver >= 2)
        } catch {
            await connections.close()
            throw error
        }
        await connections.close()
    }

    /// The checkpoint sequence number in the log's header, which SQLite raises each time the log starts over.
    static func timesStartedOver(logOf path: String) throws -> UInt32 {
        let header = try Data(contentsOf: URL(fileURLWithPath: path + "-wal")).prefix(16)
        return header.suffix(4).reduce(0) { $0 << 8 | UInt32($1) }
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
