import Foundation
import Logging
import NIOCore
import PostgresKit
import PostgresNIO
import SQLKit
import Synchronization

/// Where a store's PostgreSQL data is: a server, given by a `postgres://` URL, and a schema in it.
public struct PostgresLocation: Sendable {
    /// `postgres://user:password@host:port/database`, with `?sslmode=` as libpq reads it.
    public var url: String
    /// The schema Vigil's tables live in; `public` unless several campaigns share one database
    /// (and the tests, which give each test a schema of its own).
    public var schema: String

    public init(url: String, schema: String = "public") {
        self.url = url
        self.schema = schema
    }

    /// The connection settings the URL gives, or a clear error for one that is not a PostgreSQL URL.
    func configuration() throws -> PostgresConnection.Configuration {
        guard let parsed = URL(string: url), ["postgres", "postgresql"].contains(parsed.scheme ?? "") else {
            throw StoreError.invalidRequest("'\(Self.redacted(url))' is not a postgres:// URL")
        }
        do {
            return try SQLPostgresConfiguration(url: parsed).coreConfiguration
        } catch {
            throw StoreError.invalidRequest("'\(Self.redacted(url))' is not a usable postgres:// URL (it needs a user and a host)")
        }
    }

    /// The URL without its password, fit for logs and error messages.
    public static func redacted(_ url: String) -> String {
        guard var parts = URLComponents(string: url), parts.password != nil else { return url }
        parts.password = "…"
        return parts.string ?? "postgres://…"
    }
}

/// The PostgreSQL connections of one store, laid out as ``SQLiteConnections``: the writer's,
/// the other writes', and readers. PostgreSQL runs the queries of one connection in order, so
/// readers may be shared by concurrent requests; a transaction has its connection to itself.
/// Each is a ``PostgresSession``, which connects again after the server dropped it.
final class PostgresConnections: DatabaseConnections {
    let engine = DatabaseEngine.postgres
    let signatureWriter: any SQLDatabase
    let otherWrites: any SQLDatabase
    private let readers: [any SQLDatabase]
    private let sessions: [PostgresSession]
    private let nextReader = Atomic<UInt>(0)
    private let closed: ClosedFlag

    private init(sessions: [PostgresSession], closed: ClosedFlag) {
        self.sessions = sessions
        self.closed = closed
        signatureWriter = sessions[0]
        otherWrites = sessions[1]
        readers = Array(sessions.dropFirst(2))
    }

    /// Connects to the server, creating the schema if it is missing.
    ///
    /// - Parameter synchronousCommit: whether a commit waits for its write-ahead log to reach the
    ///   disk (`synchronous_commit`): `off` keeps the database consistent after a crash of the
    ///   server but may lose its last commits, as SQLite's `NORMAL` does.
    static func open(
        _ location: PostgresLocation,
        readerCount: Int,
        synchronousCommit: Bool,
        logger: Logger
    ) async throws -> PostgresConnections {
        let configuration = try location.configuration()
        let closed = ClosedFlag()
        var sessions: [PostgresSession] = []
        do {
            for index in 0..<(2 + max(1, readerCount)) {
                let connect: PostgresSession.Connect = {
                    try await Self.connect(
                        location, configuration: configuration, id: index, on: index < 2 ? WritingThread.shared.eventLoop : nil,
                        synchronousCommit: synchronousCommit, logger: logger
                    )
                }
                let session = PostgresSession(connection: try await connect(), connect: connect, closed: closed, logger: logger)
                sessions.append(session)
                if index == 0 {
                    // search_path may name a schema that does not exist yet; it counts once made.
                    try await session.raw("CREATE SCHEMA IF NOT EXISTS \(ident: location.schema)").run()
                }
            }
        } catch {
            for session in sessions { try? await session.connection.close() }
            throw error
        }
        return PostgresConnections(sessions: sessions, closed: closed)
    }

    /// One connection with its session set up: where the tables are, how durable a commit is,
    /// and a name that shows in `pg_stat_activity`.
    private static func connect(
        _ location: PostgresLocation,
        configuration: PostgresConnection.Configuration,
        id: Int,
        on eventLoop: (any EventLoop)?,
        synchronousCommit: Bool,
        logger: Logger
    ) async throws -> PostgresConnection {
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(
                on: eventLoop ?? PostgresConnection.defaultEventLoopGroup.any(), configuration: configuration, id: id, logger: logger
            )
        } catch {
            throw StoreError.databaseUnreachable("\(PostgresLocation.redacted(location.url)): \(String(reflecting: error))")
        }
        do {
            let sql = connection.sql(queryLogLevel: .trace, logger: logger)
            try await sql.raw("SET search_path TO \(ident: location.schema)").run()
            try await sql.raw("SET synchronous_commit TO \(unsafeRaw: synchronousCommit ? "on" : "off")").run()
            try await sql.raw("SET application_name TO \(literal: location.applicationName)").run()
            return connection
        } catch {
            try? await connection.close()
            throw error
        }
    }

    var reader: any SQLDatabase {
        let turn = nextReader.wrappingAdd(1, ordering: .relaxed).oldValue
        return readers[Int(turn % UInt(readers.count))]
    }

    func close() async {
        closed.set()
        for session in sessions { try? await session.connection.close() }
    }
}

extension PostgresLocation {
    /// How Vigil's connections name themselves in `pg_stat_activity`, so an administrator sees
    /// which campaign a session serves.
    var applicationName: String { "vigil \(schema)" }
}

/// Set once, when a store closes its connections.
final class ClosedFlag: Sendable {
    private let value = Atomic<Bool>(false)
    var isSet: Bool { value.load(ordering: .acquiring) }
    func set() { value.store(true, ordering: .releasing) }
}
