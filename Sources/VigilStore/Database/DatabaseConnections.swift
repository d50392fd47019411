import SQLKit

/// The connections a store uses, whichever database is behind them: one for the signature
/// writer's group commits, one for every other write, and a few for reads.
///
/// Writes are split in two so that the writer's long-lived batching never waits behind staff
/// edits on the same connection, and each connection runs one transaction at a time.
protocol DatabaseConnections: Sendable {
    var engine: DatabaseEngine { get }
    var signatureWriter: any SQLDatabase { get }
    var otherWrites: any SQLDatabase { get }
    /// A connection for queries, taken in turn so reads spread over all of them.
    var reader: any SQLDatabase { get }
    /// On SQLite, the file's one write lock as seen inside this process; `nil` on PostgreSQL,
    /// which locks rows rather than the whole database.
    ///
    /// SQLite lets one connection write at a time and makes the others retry after sleeping a
    /// millisecond or more. Writers in this process take this lock first, so they queue for one
    /// another instead, and the signature writer never sleeps behind the mail worker.
    var fileWriteLock: AsyncLock? { get }
    func close() async
}

extension Optional where Wrapped == AsyncLock {
    /// Runs `body` holding the lock when there is one.
    func withLockIfAny<T: Sendable>(_ body: () async throws -> T) async rethrows -> T {
        guard let lock = self else { return try await body() }
        return try await lock.withLock(body)
    }
}
