import Foundation
import Logging
import SQLKit
import VigilCore

/// Copies committed pages from SQLite's write-ahead log back into the database file, beside
/// the signature writer rather than inside its commits, and lets the log start over.
///
/// SQLite would otherwise do this inside whichever commit took the log past 1,000 pages, and
/// every request waiting for that commit would wait for the copy and its fsync as well. A
/// passive checkpoint never blocks a writer and never waits for one, so it runs on the
/// connection for other writes (holding that connection's lock, not the file's) while the
/// next batch is written.
///
/// Under constant writes a passive checkpoint never catches up, though: while it copies, the
/// writer adds pages, and SQLite starts the log over only when a write begins with every page
/// copied and no reader still in the log. The log then grew until SQLite's own threshold fired
/// inside a commit, with the whole batch waiting. So each round ends in the writers' turn:
/// the pages added during the passive copies (a few hundred under load) are copied there,
/// readers still in the log are waited for, briefly, and the next write starts the log over.
/// A page written many times in a round is copied once, so rounds are a second apart.
final class WALCheckpointer: Sendable {
    /// The log size, in pages, at which a writer's own commit checkpoints after all.
    static let backstopPages = 20_000

    private let database: any SQLDatabase
    /// The lock of the connection in `database`, shared with the store's other writes.
    private let lock: AsyncLock
    /// The writers' turn on the file (``WriteTurns``), taken inside `lock` as other writes do.
    private let fileLock: AsyncLock
    private let logger: Logger
    /// Whether checkpoints are under way, and whether a commit came since the last one began.
    private let state = Locked((running: false, pending: false))
    /// The least time between two rounds: each one fsyncs the database file.
    private let interval: Duration = .seconds(1)
    /// How long, in milliseconds, the writers' turn waits for readers still in the log.
    static let readerWait = 10

    init(database: any SQLDatabase, lock: AsyncLock, fileLock: AsyncLock, logger: Logger) {
        self.database = database
        self.lock = lock
        self.fileLock = fileLock
        self.logger = logger
    }

    /// Called after every commit. Starts checkpointing unless it is under way; then the commit
    /// is left for the next round, which follows the current one after a pause, so the last
    /// commit of a burst is copied too.
    func committed() {
        let start = state.withLock { state -> Bool in
            guard !state.running else {
                state.pending = true
                return false
            }
            state = (true, false)
            return true
        }
        guard start else { return }
        Task(executorPreference: WritingThread.shared) { [self] in
            repeat {
                do {
                    try await checkpointRound()
                } catch {
                    // Closing the store ends the connection; the writers' backstop covers any other failure.
                    logger.debug("WAL checkpoint did not run: \(error)")
                }
                try? await Task.sleep(for: interval)
            } while state.withLock { state in
                state.running = state.pending
                state.pending = false
                return state.running
            }
        }
    }

    /// Copies the log into the file beside the writers, then what they added meanwhile in their
    /// turn, once every reader of the log has finished, so that the next write starts it over.
    ///
    /// The second step waits for readers at most `readerWait`: a long reader (a dossier being
    /// built) keeps the log from starting over anyway, and the writers would wait with it.
    private func checkpointRound() async throws {
        try await lock.withLock {
            // The first pass copies the round's pages; the second, the few written meanwhile.
            try await database.raw("PRAGMA wal_checkpoint(PASSIVE)").run()
            try await database.raw("PRAGMA wal_checkpoint(PASSIVE)").run()
            try await fileLock.withLock {
                try await withBusyTimeout(milliseconds: Self.readerWait) {
                    try await database.raw("PRAGMA wal_checkpoint(RESTART)").run()
                }
            }
        }
    }

    /// Runs `body` with the connection's busy timeout set to `milliseconds`, then restores it.
    private func withBusyTimeout(milliseconds: Int, _ body: () async throws -> Void) async throws {
        func set(_ milliseconds: Int) async throws {
            try await database.raw("PRAGMA busy_timeout = \(unsafeRaw: String(milliseconds))").run()
        }
        try await set(milliseconds)
        do {
            try await body()
        } catch {
            try? await set(SQLiteConnections.busyTimeoutMilliseconds)
            throw error
        }
        try await set(SQLiteConnections.busyTimeoutMilliseconds)
    }
}
