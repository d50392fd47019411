import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit
import SQLiteNIO
import Synchronization

/// The SQLite connections of one database file: one for the signature writer, one for
/// other writes, and a few read-only ones.
///
/// The signature writer's connection runs its statements on the writing thread itself
/// (``InlineSQLiteConnection``). Each of the others has its own single-thread pool: sqlite-nio
/// runs a connection's statements on whichever pool thread is free; with more than one thread
/// a read issued right after a commit was seen to miss it, and one thread is faster as well
/// (see docs/decisions.md).
final class SQLiteConnections: DatabaseConnections {
    /// How hard SQLite works to make a commit durable before it returns.
    enum Synchronous: String, Sendable {
        /// fsync on every commit: nothing acknowledged is lost even on power failure.
        case full = "FULL"
        /// fsync at checkpoints only: safe against a crashed process, not a lost machine.
        case normal = "NORMAL"
    }

    let engine = DatabaseEngine.sqlite
    let signatureWriter: any SQLDatabase
    let otherWrites: any SQLDatabase
    private let readers: [any SQLDatabase]
    private let writer: InlineSQLiteDatabase
    private let connections: [SQLiteConnection]
    private let threadPools: [NIOThreadPool]
    private let nextReader = Atomic<UInt>(0)

    private init(writer: InlineSQLiteDatabase, connections: [SQLiteConnection], threadPools: [NIOThreadPool]) {
        let databases = connections.map { $0.sql(queryLogLevel: .trace) }
        self.writer = writer
        self.connections = connections
        self.threadPools = threadPools
        signatureWriter = writer
        otherWrites = databases[0]
        readers = Array(databases.dropFirst())
    }

    /// The page cache of each writing connection, in KiB.
    static let writerCacheKiB = 49_152
    /// How long a connection waits for another process's lock before it reports the database busy.
    static let busyTimeoutMilliseconds = 5000

    /// Opens the file (creating it if needed) in WAL mode with foreign keys on.
    static func open(
        path: String,
        readerCount: Int,
        synchronous: Synchronous,
        logger: Logger
    ) async throws -> SQLiteConnections {
        var connections: [SQLiteConnection] = []
        var pools: [NIOThreadPool] = []
        do {
            for index in 0..<(1 + max(1, readerCount)) {
                let pool = NIOThreadPool(numberOfThreads: 1)
                pool.start()
                pools.append(pool)
                let connection = try await SQLiteConnection.open(
                    storage: .file(path: path),
                    threadPool: pool,
                    logger: logger,
                    on: index == 0 ? WritingThread.shared.eventLoop : MultiThreadedEventLoopGroup.singleton.any()
                )
                connections.append(connection)
                let sql = connection.sql()
                if index == 0 {
                    // WAL persists in the file; readers then never block the writer.
                    try await sql.raw("PRAGMA journal_mode = WAL").run()
                }
                try await configure(sql, writes: index == 0, synchronous: synchronous)
            }
            // Opened after sqlite-nio's first connection, which initialises the library once for the process.
            let writer = InlineSQLiteDatabase(connection: try InlineSQLiteConnection(path: path), logger: logger)
            do {
                try await configure(writer, writes: true, synchronous: synchronous)
            } catch {
                await writer.close()
                throw error
            }
            return SQLiteConnections(writer: writer, connections: connections, threadPools: pools)
        } catch {
            for connection in connections { try? await connection.close() }
            for pool in pools { try? await pool.shutdownGracefully() }
            throw error
        }
    }

    /// Sets what each connection needs: the settings below are per connection, not per file.
    private static func configure(_ sql: any SQLDatabase, writes: Bool, synchronous: Synchronous) async throws {
        try await sql.raw("PRAGMA busy_timeout = \(unsafeRaw: String(Self.busyTimeoutMilliseconds))").run()
        try await sql.raw("PRAGMA foreign_keys = ON").run()
        try await sql.raw("PRAGMA synchronous = \(unsafeRaw: synchronous.rawValue)").run()
        guard writes else {
            try await sql.raw("PRAGMA query_only = ON").run()
            return
        }
        // Each signature lands at random places in four indexes (hashed addresses,
        // tokens, tree nodes); at a million signatures those outgrow SQLite's 2 MiB
        // default cache and every insert reads pages back from the file. The cache
        // grows only as pages are used, so a connection that writes little stays small.
        try await sql.raw("PRAGMA cache_size = -\(unsafeRaw: String(Self.writerCacheKiB))").run()
        // A multi-row insert inside a transaction keeps a statement journal, so that
        // a failing row can be undone alone; in a file, that journal cost the writer
        // about 7 % of the server's CPU time in the signing benchmark, in file writes.
        try await sql.raw("PRAGMA temp_store = MEMORY").run()
        try await sql.raw("PRAGMA wal_autocheckpoint = \(unsafeRaw: String(WALCheckpointer.backstopPages))").run()
    }

    var reader: any SQLDatabase {
        let turn = nextReader.wrappingAdd(1, ordering: .relaxed).oldValue
        return readers[Int(turn % UInt(readers.count))]
    }

    func close() async {
        await writer.close()
        for connection in connections { try? await connection.close() }
        for pool in threadPools { try? await pool.shutdownGracefully() }
    }
}
