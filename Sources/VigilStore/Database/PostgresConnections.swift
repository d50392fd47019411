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
final class PostgresConnections: DatabaseConnections {
    let engine = DatabaseEngine.postgres
    let fileWriteLock: AsyncLock? = nil
    let signatureWriter: any SQLDatabase
    let otherWrites: any SQLDatabase
    private let readers: [any SQLDatabase]
    private let connections: [PostgresConnection]
    private let nextReader = Atomic<UInt>(0)
    private let closed = ClosedFlag()

    private init(connections: [PostgresConnection], logger: Logger) {
        let closed = closed
        let databases = connections.map {
            ClosableDatabase(base: $0.sql(queryLogLevel: .trace, logger: logger), closed: closed) as any SQLDatabase
        }
        self.connections = connections
        signatureWriter = databases[0]
        otherWrites = databases[1]
        readers = Array(databases.dropFirst(2))
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
        var connections: [PostgresConnection] = []
        do {
            for index in 0..<(2 + max(1, readerCount)) {
                let connection: PostgresConnection
                do {
                    connection = try await PostgresConnection.connect(
                        configuration: configuration, id: index, logger: logger
                    )
                } catch {
                    throw StoreError.databaseUnreachable("\(PostgresLocation.redacted(location.url)): \(String(reflecting: error))")
                }
                connections.append(connection)
                let sql = connection.sql(queryLogLevel: .trace, logger: logger)
                if index == 0 {
                    try await sql.raw("CREATE SCHEMA IF NOT EXISTS \(ident: location.schema)").run()
                }
                // Per connection: where the tables are, and how durable a commit is.
                try await sql.raw("SET search_path TO \(ident: location.schema)").run()
                try await sql.raw("SET synchronous_commit TO \(unsafeRaw: synchronousCommit ? "on" : "off")").run()
            }
        } catch {
            for connection in connections { try? await connection.close() }
            throw error
        }
        return PostgresConnections(connections: connections, logger: logger)
    }

    var reader: any SQLDatabase {
        let turn = nextReader.wrappingAdd(1, ordering: .relaxed).oldValue
        return readers[Int(turn % UInt(readers.count))]
    }

    func close() async {
        closed.set()
        for connection in connections { try? await connection.close() }
    }
}

/// A PostgreSQL connection that refuses queries once its store has closed it.
///
/// postgres-nio was seen to leave a query on a closed connection waiting forever; a closed store
/// must answer "unreachable" (`/readyz`) instead.
private struct ClosableDatabase: SQLDatabase {
    let base: any SQLDatabase
    let closed: ClosedFlag

    var logger: Logger { base.logger }
    var eventLoop: any EventLoop { base.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { base.version }
    var dialect: any SQLDialect { base.dialect }
    var queryLogLevel: Logger.Level? { base.queryLogLevel }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        guard !closed.isSet else { return eventLoop.makeFailedFuture(StoreError.databaseUnreachable("(the store is closed)")) }
        return base.execute(sql: query, onRow).flatMapErrorThrowing { throw Self.explained($0) }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        guard !closed.isSet else { throw StoreError.databaseUnreachable("(the store is closed)") }
        do {
            try await base.execute(sql: query, onRow)
        } catch {
            throw Self.explained(error)
        }
    }

    /// postgres-nio describes every error as "PSQLError – Generic description", so that a log
    /// never shows what a query held. The server's own message and code say what went wrong
    /// without the query's values, and are what an operator needs.
    private static func explained(_ error: any Error) -> any Error {
        guard let error = error as? PSQLError else { return error }
        guard let message = error.serverInfo?[.message] else { return StoreError.databaseUnreachable("(\(error.code))") }
        return StoreError.database(message: message, code: error.serverInfo?[.sqlState] ?? "")
    }
}

/// Set once, when a store closes its connections.
private final class ClosedFlag: Sendable {
    private let value = Atomic<Bool>(false)
    var isSet: Bool { value.load(ordering: .acquiring) }
    func set() { value.store(true, ordering: .releasing) }
}
