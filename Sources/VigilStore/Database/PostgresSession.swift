import Logging
import NIOCore
import PostgresKit
import PostgresNIO
import SQLKit
import VigilCore

/// One of a store's PostgreSQL connections, connected again when the server dropped it (a
/// restart, a failover, an administrator ending the session), but never in the middle of a
/// transaction.
///
/// A statement of a transaction whose connection was lost fails, and so does every later one
/// until the caller's `COMMIT` or `ROLLBACK`: the server has already rolled that transaction
/// back, and running the rest of it on a fresh connection would commit half of it. The next
/// statement outside a transaction connects anew. A closed store refuses every query, since
/// postgres-nio was seen to leave a query on a closed connection waiting forever.
final class PostgresSession: SQLDatabase, Sendable {
    /// Connects and prepares a connection (schema, durability, name); throws if it cannot.
    typealias Connect = @Sendable () async throws -> PostgresConnection

    private struct State {
        var connection: PostgresConnection
        var inTransaction = false
    }

    private let state: Locked<State>
    private let connect: Connect
    private let reconnecting = AsyncLock()
    private let closed: ClosedFlag
    let logger: Logger
    private let dialectOfConnections: any SQLDialect

    init(connection: PostgresConnection, connect: @escaping Connect, closed: ClosedFlag, logger: Logger) {
        state = Locked(State(connection: connection))
        self.connect = connect
        self.closed = closed
        self.logger = logger
        dialectOfConnections = connection.sql().dialect
    }

    /// The connection in use now, for closing.
    var connection: PostgresConnection { state.withLock { $0.connection } }

    var eventLoop: any EventLoop { connection.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { nil }
    var dialect: any SQLDialect { dialectOfConnections }
    var queryLogLevel: Logger.Level? { .trace }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        eventLoop.makeFutureWithTask { try await self.execute(sql: query, onRow) }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        guard !closed.isSet else { throw StoreError.databaseUnreachable("(the store is closed)") }
        let statement = Statement(query, database: self)
        let connection = try await usableConnection(for: statement)
        do {
            try await connection.sql(queryLogLevel: .trace, logger: logger).execute(sql: query, onRow)
        } catch {
            // A failed COMMIT ends its transaction as surely as a successful one does.
            if statement == .end { state.withLock { $0.inTransaction = false } }
            throw Self.explained(error)
        }
        switch statement {
        case .begin: state.withLock { $0.inTransaction = true }
        case .end: state.withLock { $0.inTransaction = false }
        case .other: break
        }
    }

    /// The connection to run `statement` on: the current one while it is open; otherwise a new
    /// one, unless the statement belongs to a transaction the lost connection was in.
    private func usableConnection(for statement: Statement) async throws -> PostgresConnection {
        let (connection, inTransaction) = state.withLock { ($0.connection, $0.inTransaction) }
        guard connection.isClosed else { return connection }
        if inTransaction {
            if statement == .end { state.withLock { $0.inTransaction = false } }
            throw StoreError.databaseUnreachable("(the connection was lost during a transaction, which the server rolled back)")
        }
        return try await reconnecting.withLock {
            let current = self.connection
            guard current.isClosed else { return current }
            let fresh = try await connect()
            state.withLock { $0.connection = fresh }
            logger.notice("reconnected to PostgreSQL after the connection was lost")
            return fresh
        }
    }

    /// How a statement bears on transactions, read from its first word.
    private enum Statement: Equatable {
        case begin, end, other

        init(_ query: any SQLExpression, database: any SQLDatabase) {
            var serializer = SQLSerializer(database: database)
            query.serialize(to: &serializer)
            let firstWord = serializer.sql.drop(while: \.isWhitespace).prefix(while: \.isLetter).uppercased()
            switch firstWord {
            case "BEGIN", "START": self = .begin
            case "COMMIT", "ROLLBACK", "END", "ABORT": self = .end
            default: self = .other
            }
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
