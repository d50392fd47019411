import Foundation
import SQLKit
import VigilCore

/// Appends entries to petitions' tally logs inside the signature writer's transaction.
///
/// It reads each log's size and right edge once per batch, appends in memory, and writes the
/// batch's entries and the complete subtrees they finish with a few multi-row statements.
struct TallyAppender {
    private struct Log {
        var builder: MerkleTreeBuilder
        var additions: Int64
        var touched = false
    }

    /// A leaf just appended.
    struct Appended {
        let index: UInt64
        let leafHash: MerkleHash
    }

    private let database: any SQLDatabase
    private let engine: DatabaseEngine
    private var logs: [Int64: Log] = [:]
    private var entryRows: [SQLQueryString] = []
    private var nodeRows: [SQLQueryString] = []

    /// Rows per multi-row statement; well under SQLite's limit on bound values.
    private static let rowsPerStatement = 1000

    init(database: any SQLDatabase, engine: DatabaseEngine) {
        self.database = database
        self.engine = engine
    }

    /// Reads the size and right edge of the logs not read yet.
    ///
    /// Each petition's counter row is locked first, until the transaction ends: a second server
    /// on the same PostgreSQL then waits here rather than append at the same position, so each
    /// log stays one ordered sequence and signer numbers stay unique. Locks are taken in order of
    /// petition, so two writers cannot hold one each and wait for the other's.
    mutating func load(petitionIDs: some Sequence<Int64>) async throws {
        let wanted = Array(Set(petitionIDs).subtracting(logs.keys)).sorted()
        guard !wanted.isEmpty else { return }
        if !engine.lockingRows.isEmpty {
            try await database.raw(
                "SELECT petition_id FROM petition_counters WHERE petition_id IN (\(binds: wanted)) ORDER BY petition_id"
                    + SQLQueryString(engine.lockingRows)
            ).run()
        }
        var sizes: [Int64: (size: UInt64, additions: Int64)] = [:]
        for row in try await database.raw(
            "SELECT petition_id, size, additions FROM tally_logs WHERE petition_id IN (\(binds: wanted))"
        ).all() {
            sizes[try row.decode(column: "petition_id", as: Int64.self)] = (
                UInt64(try row.decode(column: "size", as: Int64.self)), try row.decode(column: "additions", as: Int64.self)
            )
        }
        for petitionID in wanted {
            let (size, additions) = sizes[petitionID] ?? (0, 0)
            let edge = try await Store.nodeHashes(
                MerkleTree.perfectNodes(from: 0, to: size), petitionID: petitionID, from: database
            )
            do {
                logs[petitionID] = Log(builder: try MerkleTreeBuilder(size: size, edgeHashes: edge), additions: additions)
            } catch {
                throw StoreError.corruptRow(table: "tally_nodes", problem: "log of petition \(petitionID): \(error)")
            }
        }
    }

    /// The number of additions so far in a loaded log (signer numbers follow it).
    func additions(petitionID: Int64) -> Int64 {
        logs[petitionID]?.additions ?? 0
    }

    /// Appends an entry to a loaded log.
    mutating func append(_ entry: TallyEntry, petitionID: Int64, atMilliseconds nowMS: Int64) throws -> Appended {
        guard var log = logs[petitionID] else {
            throw StoreError.corruptRow(table: "tally_logs", problem: "log of petition \(petitionID) was not loaded")
        }
        let bytes = entry.bytes
        let leafHash = MerkleTree.leafHash(bytes)
        let index = log.builder.size
        for (node, hash) in log.builder.append(leafHash: leafHash) {
            nodeRows.append("(\(bind: petitionID), \(bind: node.level), \(bind: Int64(node.index)), \(bind: Data(hash.bytes)))")
        }
        if case .addition = entry { log.additions += 1 }
        log.touched = true
        logs[petitionID] = log
        entryRows.append(
            "(\(bind: petitionID), \(bind: Int64(index)), \(bind: Data(bytes)), \(bind: entry.targetLeaf.map(Int64.init)), \(bind: nowMS))"
        )
        return Appended(index: index, leafHash: leafHash)
    }

    /// Writes what was appended: entries, complete subtrees and the logs' new sizes.
    mutating func write() async throws {
        for chunk in entryRows.chunked(Self.rowsPerStatement) {
            try await database.raw(
                "INSERT INTO tally_entries (petition_id, leaf_index, entry, target_leaf, created_at) VALUES "
                    + chunk.joined(separator: ", ")
            ).run()
        }
        for chunk in nodeRows.chunked(Self.rowsPerStatement) {
            try await database.raw(
                "INSERT INTO tally_nodes (petition_id, level, position, hash) VALUES " + chunk.joined(separator: ", ")
            ).run()
        }
        let sizes = logs.filter(\.value.touched).sorted { $0.key < $1.key }.map { petitionID, log in
            "(\(bind: petitionID), \(bind: Int64(log.builder.size)), \(bind: log.additions))" as SQLQueryString
        }
        if !sizes.isEmpty {
            try await database.raw(
                "INSERT INTO tally_logs (petition_id, size, additions) VALUES " + sizes.joined(separator: ", ")
                    + " ON CONFLICT (petition_id) DO UPDATE SET size = excluded.size, additions = excluded.additions"
            ).run()
        }
        entryRows.removeAll()
        nodeRows.removeAll()
        for key in logs.keys { logs[key]?.touched = false }
    }
}

extension Array {
    /// The array cut into consecutive pieces of at most `size` elements.
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}

extension Store {
    /// The hashes of complete subtrees of a log, in the order asked, read with one statement.
    static func nodeHashes(_ nodes: [MerkleTree.Node], petitionID: Int64, from database: any SQLDatabase) async throws -> [MerkleHash] {
        guard !nodes.isEmpty else { return [] }
        // One SELECT per level, joined by UNION ALL: each is a lookup in the primary key. The same
        // conditions joined by OR made SQLite scan every node of the petition (2 s a lookup at
        // 120,000 signatures), and each confirmation batch makes such a lookup.
        let byLevel = Dictionary(grouping: nodes, by: \.level).sorted { $0.key < $1.key }
        let selects = byLevel.map { level, nodes in
            """
            SELECT level, position, hash FROM tally_nodes
            WHERE petition_id = \(bind: petitionID) AND level = \(bind: level) AND position IN (\(binds: nodes.map { Int64($0.index) }))
            """ as SQLQueryString
        }
        var found: [MerkleTree.Node: MerkleHash] = [:]
        for row in try await database.raw(selects.joined(separator: " UNION ALL ")).all() {
            let node = MerkleTree.Node(
                level: try row.decode(column: "level", as: Int.self),
                index: UInt64(try row.decode(column: "position", as: Int64.self))
            )
            guard let hash = MerkleHash(bytes: Array(try row.decode(column: "hash", as: Data.self))) else {
                throw StoreError.corruptRow(table: "tally_nodes", problem: "hash of \(node) is not 32 bytes")
            }
            found[node] = hash
        }
        return try nodes.map { node in
            guard let hash = found[node] else {
                throw StoreError.corruptRow(table: "tally_nodes", problem: "petition \(petitionID) lacks subtree \(node.level)/\(node.index)")
            }
            return hash
        }
    }
}
