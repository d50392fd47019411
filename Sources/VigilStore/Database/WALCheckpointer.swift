import Foundation
import Logging
import SQLKit
import VigilCore

/// Copies committed pages from SQLite's write-ahead log back into the database file, beside
/// the signature writer rather than inside its commits.
///
/// SQLite would otherwise do this inside whichever commit took the log past 1,000 pages, and
/// every request waiting for that commit would wait for the copy and its fsync as well. A
/// passive checkpoint never blocks a writer and never waits for one, so it runs on the
/// connection for other writes (holding that connection's lock, not the file's) while the
/// next batch is written. The writers keep a much larger automatic threshold as a backstop,
/// should this one fall behind.
final class WALCheckpointer: Sendable {
    /// The log size, in pages, at which a writer's own commit checkpoints after all.
    static let backstopPages = 10_000

    private let database: any SQLDatabase
    /// The lock of the connection in `database`, shared with the store's other writes.
    private let lock: AsyncLock
    private let logger: Logger
    /// Whether checkpoints are under way, and whether a commit came since the last one began.
    private let state = Locked((running: false, pending: false))
    /// The least time between two checkpoints: each one fsyncs the database file.
    private let interval: Duration = .milliseconds(100)

    init(database: any SQLDatabase, lock: AsyncLock, logger: Logger) {
        self.database = database
        self.lock = lock
        self.logger = logger
    }

    /// Called after every commit. Starts checkpointing unless it is under way; then the commit
    /// is left for the next round, which follows the current one after a short pause, so the
    /// last commit of a burst is copied too.
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
                    try await lock.withLock { try await database.raw("PRAGMA wal_checkpoint(PASSIVE)").run() }
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
}
