import Foundation
import SQLKit
import Testing
import VigilTestSupport
@testable import VigilStore

@Suite("The signature writer's SQLite connection")
struct InlineSQLiteConnectionTests {
    /// A fresh database file with a connection to it, removed afterwards.
    private static func withDatabase(_ body: (InlineSQLiteDatabase) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-inline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = InlineSQLiteDatabase(
            connection: try InlineSQLiteConnection(path: folder.appendingPathComponent("inline.sqlite").path),
            logger: TestStore.quietLogger
        )
        do {
            try await body(database)
        } catch {
            await database.close()
            throw error
        }
        await database.close()
    }

    private struct Values: Decodable, Equatable {
        var whole: Int64
        var fraction: Double
        var text: String
        var bytes: Data
        var missing: String?
    }

    @Test("every kind of value comes back as it was bound, from the writing thread and from any other")
    func valuesRoundTrip() async throws {
        try await Self.withDatabase { database in
            try await database.raw(
                "CREATE TABLE v (whole INTEGER, fraction REAL, text TEXT, bytes BLOB, missing TEXT)"
            ).run()
            let rows = [
                Values(whole: Int64.max, fraction: 0.25, text: "Հայաստան — Россия", bytes: Data([0, 1, 255]), missing: nil),
                Values(whole: -1, fraction: -3.5, text: "", bytes: Data(), missing: "here"),
            ]
            for (index, row) in rows.enumerated() {
                let insert: SQLQueryString = """
                    INSERT INTO v VALUES (\(bind: row.whole), \(bind: row.fraction), \(bind: row.text), \(bind: row.bytes), \(bind: row.missing))
                    """
                if index == 0 {
                    // From a task on the shared pool: the statement hops to the writing thread.
                    #expect(!WritingThread.shared.eventLoop.inEventLoop)
                    try await database.raw(insert).run()
                } else {
                    try await WritingThread.shared.run { try await database.raw(insert).run() }
                }
            }
            let read = try await database.raw("SELECT * FROM v ORDER BY rowid").all(decoding: Values.self)
            #expect(read == rows)
            let row = try #require(try await database.raw("SELECT bytes, missing FROM v ORDER BY rowid").first())
            #expect(row.allColumns == ["bytes", "missing"])
            #expect(try row.decodeNil(column: "missing"))
            #expect(!row.contains(column: "whole"))
            #expect(throws: DecodingError.self) { try row.decode(column: "whole", as: Int.self) }
        }
    }

    @Test("a statement kept for reuse runs with the new parameters each time, and more statements than are kept still run")
    func preparedStatementsAreReused() async throws {
        try await Self.withDatabase { database in
            try await database.raw("CREATE TABLE n (id INTEGER PRIMARY KEY, label TEXT NOT NULL)").run()
            let count = InlineSQLiteConnection.preparedLimit + 10
            for id in 0..<count {
                // The same SQL every time, with new parameters.
                try await database.raw("INSERT INTO n (id, label) VALUES (\(bind: id), \(bind: "label \(id)"))").run()
            }
            // More distinct statements than the connection keeps: the oldest are finalised as new ones come.
            for id in 0..<count {
                let sql = "SELECT label FROM n WHERE id = \(id)"
                let label = try await database.raw(SQLQueryString(sql)).first(decodingColumn: "label", as: String.self)
                #expect(label == "label \(id)")
            }
            // The first of them, prepared afresh after its eviction.
            let first = try await database.raw("SELECT label FROM n WHERE id = 0").first(decodingColumn: "label", as: String.self)
            #expect(first == "label 0")
            let total = try await database.raw("SELECT COUNT(*) AS c FROM n").first(decodingColumn: "c", as: Int.self)
            #expect(total == count)
        }
    }

    @Test("a failing statement reports SQLite's error, changes nothing, and leaves the connection usable")
    func failuresAreReportedAndHarmless() async throws {
        try await Self.withDatabase { database in
            try await database.raw("CREATE TABLE u (email TEXT NOT NULL UNIQUE)").run()
            try await database.raw("INSERT INTO u (email) VALUES (\(bind: "a@example.org"))").run()

            let syntax = await #expect(throws: InlineSQLiteError.self) { try await database.raw("SELEC 1").run() }
            #expect(syntax?.message.contains("syntax error") == true)

            try await database.raw("BEGIN IMMEDIATE").run()
            try await database.raw("INSERT INTO u (email) VALUES (\(bind: "b@example.org"))").run()
            let duplicate = await #expect(throws: InlineSQLiteError.self) {
                try await database.raw("INSERT INTO u (email) VALUES (\(bind: "a@example.org")), (\(bind: "c@example.org"))").run()
            }
            // SQLITE_CONSTRAINT_UNIQUE: the extended code, so a caller can tell a duplicate from a fault.
            #expect(duplicate?.code == 2067)
            try await database.raw("ROLLBACK").run()

            let emails = try await database.raw("SELECT email FROM u ORDER BY email").all(decodingColumn: "email", as: String.self)
            #expect(emails == ["a@example.org"], "the rolled-back transaction and the failed insert left nothing")
        }
    }

    @Test("a closed connection refuses statements")
    func closedConnectionRefuses() async throws {
        try await Self.withDatabase { database in
            await database.close()
            let error = await #expect(throws: InlineSQLiteError.self) { try await database.raw("SELECT 1").run() }
            #expect(error?.message.contains("closed") == true)
        }
    }
}
