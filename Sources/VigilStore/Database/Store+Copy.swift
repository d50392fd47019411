import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit
import SQLiteNIO
import VigilCore

/// What a copy moved and what it checked afterwards.
public struct DatabaseCopyReport: Sendable, Equatable {
    /// Rows copied, by table; each equals the rows the source held at the moment of the copy.
    public var rows: [String: Int]
    /// Each petition's tally log as found on both sides after the copy: same size, same root.
    public var logs: [TallyLogState]

    /// A petition's log, by slug, size and root.
    public struct TallyLogState: Sendable, Equatable {
        public var petition: String
        public var size: UInt64
        public var root: MerkleHash
    }
}

extension Store {
    /// Rows read and written per statement: PostgreSQL takes at most 65,535 values in one
    /// statement, and the widest table has under 40 columns.
    private static let copyRowsPerStatement = 500

    /// Copies every row of the SQLite database at `path` into this store's database, which must be
    /// empty (just migrated), then checks both sides: the same rows per table, the same size and
    /// root of every tally log, and counters equal to a recount.
    ///
    /// The source is read in one read transaction, so the copy is the database as of one commit
    /// while a server goes on writing to it; the destination is written in one transaction, so a
    /// copy that fails leaves it empty. Both databases must be at this build's schema version.
    public func copyRows(fromSQLite path: String, logger: Logger) async throws -> DatabaseCopyReport {
        guard engine == .postgres else { throw StoreError.invalidRequest("a copy goes from SQLite into PostgreSQL") }
        guard FileManager.default.fileExists(atPath: path) else { throw StoreError.notFound("no database at \(path)") }
        let pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        defer { pool.shutdownGracefully { _ in } }
        let connection = try await SQLiteConnection.open(
            storage: .file(path: path), threadPool: pool, logger: logger, on: MultiThreadedEventLoopGroup.singleton.any()
        )
        do {
            let report = try await copyRows(from: connection, path: path)
            try? await connection.close()
            return report
        } catch {
            _ = try? await connection.query("ROLLBACK")
            try? await connection.close()
            throw error
        }
    }

    private func copyRows(from source: SQLiteConnection, path: String) async throws -> DatabaseCopyReport {
        let sourceSQL = source.sql()
        try await sourceSQL.raw("PRAGMA busy_timeout = 5000").run()
        try await sourceSQL.raw("PRAGMA query_only = ON").run()
        // A read transaction: every table is read as of the same commit.
        try await sourceSQL.raw("BEGIN").run()
        let version = try await sourceSQL.raw("SELECT MAX(version) AS v FROM schema_migrations").first()?.decode(column: "v", as: Int?.self)
        guard version == Self.schemaVersion else {
            throw StoreError.invalidRequest(
                "\(path) is at schema version \(version ?? 0), this build at \(Self.schemaVersion): run `vigil migrate` on it with this build first"
            )
        }
        let sourceKey = try await Self.recordedKeyID(on: sourceSQL)
        guard sourceKey == nil || sourceKey == cipher.keyID else {
            throw StoreError.wrongKey(recorded: sourceKey ?? "", given: cipher.keyID)
        }
        let sourceTables = try await sourceSQL.raw(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations'"
        ).all().map { try $0.decode(column: "name", as: String.self) }

        let copied = try await transaction { destination -> [String: Int] in
            for table in ["petitions", "signatures", "staff"] {
                let rows = try await destination.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()?.decode(column: "n", as: Int.self)
                guard rows == 0 else {
                    throw StoreError.invalidRequest("the destination already holds data (\(table) has rows); copy only into an empty database")
                }
            }
            var copied: [String: Int] = [:]
            for table in try await Self.tablesInDependencyOrder(sourceTables, on: destination) {
                copied[table] = try await Self.copyTable(table, from: source, to: destination)
                try await Self.continueNumbering(table, on: destination)
            }
            return copied
        }

        var logs: [DatabaseCopyReport.TallyLogState] = []
        for row in try await sourceSQL.raw("SELECT id, slug FROM petitions ORDER BY id").all() {
            let id = try row.decode(column: "id", as: Int64.self)
            let slug = try row.decode(column: "slug", as: String.self)
            let size = try await Self.tallySize(petitionID: id, from: sourceSQL)
            let root = try await Self.tallyRoot(petitionID: id, size: size, from: sourceSQL)
            let copiedSize = try await tallySize(petitionID: id)
            guard copiedSize == size, try await tallyRoot(petitionID: id, size: size) == root else {
                throw StoreError.corruptRow(table: "tally_nodes", problem: "the copied log of \(slug) differs from the source's")
            }
            let counts = try await storedCounts(petitionID: id)
            let recount = try await recount(petitionID: id)
            guard counts.confirmed == recount.confirmed, counts.byCountry == recount.byCountry, counts.byChannel == recount.byChannel else {
                throw StoreError.corruptRow(table: "petition_counters", problem: "the copied counters of \(slug) differ from a recount")
            }
            logs.append(.init(petition: slug, size: size, root: root))
        }
        for (table, count) in copied {
            let sourceCount = try await sourceSQL.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()?.decode(column: "n", as: Int.self)
            let destinationCount = try await reader.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()?.decode(column: "n", as: Int.self)
            guard sourceCount == count, destinationCount == count else {
                throw StoreError.corruptRow(table: table, problem: "copied \(count) rows, the source has \(sourceCount ?? 0), the copy \(destinationCount ?? 0)")
            }
        }
        try await sourceSQL.raw("COMMIT").run()
        try await reloadLiveCounts()
        return DatabaseCopyReport(rows: copied, logs: logs)
    }

    /// The tables, each after those its foreign keys point to, as the destination's schema says.
    private static func tablesInDependencyOrder(_ tables: [String], on database: any SQLDatabase) async throws -> [String] {
        var parents: [String: Set<String>] = [:]
        for row in try await database.raw(
            """
            SELECT child.relname AS child, parent.relname AS parent
            FROM pg_constraint AS c
            JOIN pg_class AS child ON child.oid = c.conrelid
            JOIN pg_class AS parent ON parent.oid = c.confrelid
            WHERE c.contype = 'f' AND child.relnamespace = current_schema()::regnamespace
            """
        ).all() {
            let child = try row.decode(column: "child", as: String.self)
            let parent = try row.decode(column: "parent", as: String.self)
            if child != parent { parents[child, default: []].insert(parent) }
        }
        var ordered: [String] = []
        var remaining = tables.sorted()
        while !remaining.isEmpty {
            guard let next = remaining.firstIndex(where: { parents[$0, default: []].isSubset(of: ordered) || parents[$0, default: []].isDisjoint(with: remaining) }) else {
                throw StoreError.corruptRow(table: remaining.joined(separator: ", "), problem: "foreign keys form a cycle")
            }
            ordered.append(remaining.remove(at: next))
        }
        return ordered
    }

    /// Copies one table in pages of rows, converting SQLite's values to the destination column's type.
    private static func copyTable(_ table: String, from source: SQLiteConnection, to destination: any SQLDatabase) async throws -> Int {
        var types: [String: String] = [:]
        for row in try await destination.raw(
            """
            SELECT column_name, data_type FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = \(bind: table)
            """
        ).all() {
            types[try row.decode(column: "column_name", as: String.self)] = try row.decode(column: "data_type", as: String.self)
        }
        guard !types.isEmpty else {
            throw StoreError.corruptRow(table: table, problem: "the destination has no such table; is it at the same schema version?")
        }
        var copied = 0
        var lastRowID: Int64 = 0
        while true {
            let rows = try await source.query(
                "SELECT rowid AS vigil_rowid, * FROM \"\(table)\" WHERE rowid > ? ORDER BY rowid LIMIT \(copyRowsPerStatement)",
                [.integer(Int(lastRowID))]
            )
            guard let first = rows.first else { return copied }
            let columns = first.columns.map(\.name).filter { $0 != "vigil_rowid" }
            let values = try rows.map { row -> SQLQueryString in
                let items = try columns.map { column -> SQLQueryString in
                    guard let type = types[column] else {
                        throw StoreError.corruptRow(table: table, problem: "the destination lacks column \(column)")
                    }
                    return try destinationValue(row.column(column) ?? .null, type: type, table: table, column: column)
                }
                return "(" + items.joined(separator: ", ") + ")"
            }
            // The destination recorded its master key's id when it opened: the same key, as checked.
            let replacingSettings: SQLQueryString = table == "instance_settings" ? " ON CONFLICT (key) DO UPDATE SET value = excluded.value" : ""
            try await destination.raw(
                "INSERT INTO \(ident: table) (\(idents: columns, joinedBy: ", ")) VALUES " + values.joined(separator: ", ") + replacingSettings
            ).run()
            copied += rows.count
            guard case .integer(let rowID) = rows.last?.column("vigil_rowid") else {
                throw StoreError.corruptRow(table: table, problem: "a row without a rowid")
            }
            lastRowID = Int64(rowID)
        }
    }

    /// A SQLite value as the destination column takes it. SQLite keeps booleans as 0 and 1 and
    /// has no typed columns, so the destination's type decides; nulls are written as such,
    /// since a typed null parameter would not fit every column.
    private static func destinationValue(_ value: SQLiteData, type: String, table: String, column: String) throws -> SQLQueryString {
        switch (value, type) {
        case (.null, _): return "NULL"
        case (.integer(let number), "boolean"): return "\(bind: number != 0)"
        case (.integer(let number), _): return "\(bind: Int64(number))"
        case (.float(let number), _): return "\(bind: number)"
        case (.text(let text), _): return "\(bind: text)"
        case (.blob(let buffer), _): return "\(bind: Data(buffer.readableBytesView))"
        }
    }

    /// Sets a table's row numbering after the copied rows, so the next new row takes a fresh id.
    private static func continueNumbering(_ table: String, on database: any SQLDatabase) async throws {
        let identity = try await database.raw(
            """
            SELECT column_name FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = \(bind: table) AND is_identity = 'YES'
            """
        ).first()?.decode(column: "column_name", as: String.self)
        guard let identity else { return }
        try await database.raw(
            """
            SELECT setval(pg_get_serial_sequence(\(bind: table), \(bind: identity)), COALESCE(MAX(\(ident: identity)), 0) + 1, false)
            FROM \(ident: table)
            """
        ).run()
    }
}
