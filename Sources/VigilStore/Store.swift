import CoreMetrics
import Foundation
import Logging
import SQLKit
import VigilCore

/// The one object that owns Vigil's database: it opens it, migrates it, and exposes named,
/// consistent reads and writes. Signature writes go through its ``signatureWriter``.
public final class Store: Sendable {
    let connections: any DatabaseConnections
    private let otherWritesLock: AsyncLock
    /// Taken around every write, the signature writer's included.
    private let writeTurns: WriteTurns
    let cipher: PersonalDataCipher
    let random: any RandomSource
    let now: @Sendable () -> Date
    let logger: Logger
    /// Confirmed counts per petition, kept in memory so no page view counts rows.
    public let liveCounts: LiveCounts
    /// The single writer that batches signing and confirming into group commits.
    public let signatureWriter: SignatureWriter
    /// Yields whenever a commit puts e-mail in the outbox, so the mail worker starts at once
    /// instead of at its next poll.
    public let mailQueued: AsyncStream<Void>
    private let mailQueuedContinuation: AsyncStream<Void>.Continuation

    /// Opens (or creates) a SQLite database file and brings its schema up to date.
    ///
    /// - Parameters:
    ///   - path: the database file; its folder must exist.
    ///   - cipher: seals signers' personal data; its key must be kept outside the database.
    ///   - settings: how signatures are written and confirmed.
    ///   - durability: whether a commit waits for the disk (`synchronous=FULL`) or not (`NORMAL`).
    ///   - now: the clock, passed in so tests can move time.
    ///   - metrics: where the signature writer records its batch sizes; the process's metrics system by default.
    public static func openSQLite(
        path: String,
        cipher: PersonalDataCipher,
        settings: SigningSettings = SigningSettings(),
        durability: Durability = .full,
        readerCount: Int = 4,
        random: some RandomSource = SystemRandomSource(),
        now: @escaping @Sendable () -> Date = { Date() },
        metrics: any MetricsFactory = MetricsSystem.factory,
        logger: Logger = Logger(label: "vigil.store")
    ) async throws -> Store {
        let connections = try await SQLiteConnections.open(
            path: path,
            readerCount: readerCount,
            synchronous: durability == .full ? .full : .normal,
            logger: logger
        )
        return try await open(connections, cipher: cipher, settings: settings, random: random, now: now, metrics: metrics, logger: logger)
    }

    /// Connects to a PostgreSQL database and brings its schema up to date. Several servers may
    /// open the same database at once: each claims its background work so none is done twice.
    ///
    /// - Parameters:
    ///   - location: the server's URL and the schema to use.
    ///   - durability: whether a commit waits for the server's disk (`synchronous_commit=on`) or not (`off`).
    ///   - The others are as for ``openSQLite(path:cipher:settings:durability:readerCount:random:now:metrics:logger:)``.
    public static func openPostgres(
        _ location: PostgresLocation,
        cipher: PersonalDataCipher,
        settings: SigningSettings = SigningSettings(),
        durability: Durability = .full,
        readerCount: Int = 4,
        random: some RandomSource = SystemRandomSource(),
        now: @escaping @Sendable () -> Date = { Date() },
        metrics: any MetricsFactory = MetricsSystem.factory,
        logger: Logger = Logger(label: "vigil.store")
    ) async throws -> Store {
        let connections = try await PostgresConnections.open(
            location, readerCount: readerCount, synchronousCommit: durability == .full, logger: logger
        )
        return try await open(connections, cipher: cipher, settings: settings, random: random, now: now, metrics: metrics, logger: logger)
    }

    /// Migrates the database behind `connections`, checks the master key against it, and starts the store.
    private static func open(
        _ connections: any DatabaseConnections,
        cipher: PersonalDataCipher,
        settings: SigningSettings,
        random: some RandomSource,
        now: @escaping @Sendable () -> Date,
        metrics: any MetricsFactory,
        logger: Logger
    ) async throws -> Store {
        do {
            try await Self.migrate(connections.otherWrites, engine: connections.engine, logger: logger, now: now)
            if let recorded = try await Self.recordedKeyID(on: connections.otherWrites) {
                guard recorded == cipher.keyID else { throw StoreError.wrongKey(recorded: recorded, given: cipher.keyID) }
            } else {
                try await Self.recordKeyID(cipher.keyID, on: connections.otherWrites)
            }
            let liveCounts = LiveCounts()
            let otherWritesLock = AsyncLock()
            let fileLock = AsyncLock()
            let writeTurns = connections.engine == .sqlite
                ? WriteTurns(
                    fileLock: fileLock,
                    checkpointer: WALCheckpointer(
                        database: connections.otherWrites, lock: otherWritesLock, fileLock: fileLock, logger: logger
                    )
                )
                : .unguarded
            let statistics = connections.engine == .postgres
                ? PlannerStatistics(rows: try await PlannerStatistics.rowsSeen(on: connections.otherWrites), logger: logger) {
                    try await otherWritesLock.withLock { try await connections.otherWrites.raw("ANALYZE signatures").run() }
                }
                : nil
            let (mailQueued, mailQueuedContinuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
            let store = Store(
                connections: connections,
                cipher: cipher,
                random: random,
                liveCounts: liveCounts,
                writer: SignatureWriter(
                    database: connections.signatureWriter,
                    engine: connections.engine,
                    writeTurns: writeTurns,
                    cipher: cipher,
                    settings: settings,
                    random: random,
                    liveCounts: liveCounts,
                    statistics: statistics,
                    announceMail: { mailQueuedContinuation.yield() },
                    now: now,
                    metrics: metrics,
                    logger: logger
                ),
                mailQueued: (mailQueued, mailQueuedContinuation),
                otherWritesLock: otherWritesLock,
                writeTurns: writeTurns,
                now: now,
                logger: logger
            )
            let appended = try await store.signatureWriter.appendMissingLeaves()
            if appended > 0 {
                logger.notice("added \(appended) signature(s) confirmed before the tally log existed to the log")
            }
            try await store.reloadLiveCounts()
            return store
        } catch {
            await connections.close()
            throw error
        }
    }

    private init(
        connections: any DatabaseConnections,
        cipher: PersonalDataCipher,
        random: any RandomSource,
        liveCounts: LiveCounts,
        writer: SignatureWriter,
        mailQueued: (AsyncStream<Void>, AsyncStream<Void>.Continuation),
        otherWritesLock: AsyncLock,
        writeTurns: WriteTurns,
        now: @escaping @Sendable () -> Date,
        logger: Logger
    ) {
        self.otherWritesLock = otherWritesLock
        self.writeTurns = writeTurns
        self.connections = connections
        self.cipher = cipher
        self.random = random
        self.liveCounts = liveCounts
        self.signatureWriter = writer
        (self.mailQueued, self.mailQueuedContinuation) = mailQueued
        self.now = now
        self.logger = logger
    }

    /// How hard each commit works to survive a power cut.
    public enum Durability: String, Sendable {
        /// Every acknowledged signature is on disk before the answer (SQLite `synchronous=FULL`).
        case full
        /// Safe if the process dies, may lose the last commits if the machine loses power (`NORMAL`).
        case normal
    }

    /// Wakes the mail worker after a commit that queued e-mail outside the signature writer.
    func announceMail() {
        mailQueuedContinuation.yield()
    }

    /// Closes every connection. Stop the signature writer first.
    public func close() async {
        mailQueuedContinuation.finish()
        await connections.close()
    }

    /// A connection for queries.
    var reader: any SQLDatabase { connections.reader }

    /// The database the store runs on.
    public var engine: DatabaseEngine { connections.engine }

    /// Runs `body` with the connection for writes other than signatures, alone: no other task
    /// writes on that connection meanwhile.
    func write<T: Sendable>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        // Both locks are taken and given back on the writing thread, so a caller on a thread of
        // low priority (the mail worker's) never holds them while it waits for the CPU.
        try await WritingThread.shared.run {
            try await otherWritesLock.withLock {
                try await writeTurns.write { try await body(connections.otherWrites) }
            }
        }
    }

    /// Runs `body` in one transaction on the connection for other writes: all of it lands, or
    /// none of it.
    func transaction<T: Sendable>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await write { database in
            try await database.raw(SQLQueryString(engine.beginWriting)).run()
            do {
                let result = try await body(database)
                try await database.raw("COMMIT").run()
                return result
            } catch {
                try? await database.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    /// Reloads the in-memory counts of every petition from the counter tables.
    func reloadLiveCounts() async throws {
        let counts = try await Self.readCounts(from: reader, petitionIDs: nil)
        liveCounts.replace(counts)
    }

    /// Takes the counts of every petition from the counter tables where they are newer than
    /// those in memory: another process (a command, another server on the same database) may
    /// have changed them.
    public func refreshLiveCounts() async throws {
        liveCounts.update(try await Self.readCounts(from: reader, petitionIDs: nil))
    }
}

extension Date {
    /// Milliseconds since 1970, the form times take in the database.
    var storedMilliseconds: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }

    /// A date from milliseconds since 1970.
    init(storedMilliseconds: Int64) {
        self.init(timeIntervalSince1970: Double(storedMilliseconds) / 1000)
    }
}
