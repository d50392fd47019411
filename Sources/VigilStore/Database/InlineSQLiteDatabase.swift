import Logging
import NIOCore
import SQLKit
import SQLiteKit
import SQLiteNIO

/// The signature writer's SQLite connection as SQLKit sees it: every statement runs on the
/// ``WritingThread``, at once when the caller is already there (as the writer's batches are).
struct InlineSQLiteDatabase: SQLDatabase {
    let connection: InlineSQLiteConnection
    let logger: Logger

    /// One encoder for every statement: each holds a `JSONEncoder`, which is not worth making per statement.
    private static let encoder = SQLiteDataEncoder()

    var eventLoop: any EventLoop { WritingThread.shared.eventLoop }
    var dialect: any SQLDialect { SQLiteDialect() }
    var queryLogLevel: Logger.Level? { .trace }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        eventLoop.submit { try self.run(query, onRow) }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        if eventLoop.inEventLoop {
            try run(query, onRow)
        } else {
            try await eventLoop.submit { try self.run(query, onRow) }.get()
        }
    }

    /// Closes the connection on the thread that uses it.
    func close() async {
        try? await eventLoop.submit { connection.close() }.get()
    }

    private func run(_ query: any SQLExpression, _ onRow: @Sendable (any SQLRow) -> Void) throws {
        eventLoop.preconditionInEventLoop()
        let (sql, binds) = serialize(query)
        logger.trace("Executing query", metadata: ["sql": .string(sql)])
        try connection.run(sql, try binds.map { try Self.encoder.encode($0) }) { onRow($0) }
    }
}
