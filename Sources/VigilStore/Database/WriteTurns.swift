/// What every writer in the process does around its work on the database.
///
/// Every write runs on the ``WritingThread``. On SQLite only one connection may write
/// at a time, and SQLite makes the others retry after sleeping a millisecond or more. The
/// signature writer and the other writes therefore take an in-process lock on the file first
/// and queue for each other instead; after each turn the checkpointer hears of the commit.
/// PostgreSQL locks rows, not the database: there a turn is the work alone.
struct WriteTurns: Sendable {
    /// The file's write lock as seen inside the process.
    let fileLock: AsyncLock?
    let checkpointer: WALCheckpointer?

    /// For PostgreSQL.
    static let unguarded = WriteTurns(fileLock: nil, checkpointer: nil)

    /// Runs `body`, which writes and commits, in this process's turn on the database.
    func write<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        let result = try await WritingThread.shared.run {
            if let fileLock { try await fileLock.withLock(body) } else { try await body() }
        }
        checkpointer?.committed()
        return result
    }
}
