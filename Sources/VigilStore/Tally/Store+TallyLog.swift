import Foundation
import SQLKit
import VigilCore

/// One entry of a tally log as stored.
public struct StoredTallyEntry: Sendable, Equatable {
    public let index: UInt64
    /// The canonical bytes (``TallyEntry/bytes``).
    public let bytes: [UInt8]

    /// An entry from a row with `leaf_index` and `entry`.
    init(row: any SQLRow) throws {
        index = UInt64(try row.decode(column: "leaf_index", as: Int64.self))
        bytes = Array(try row.decode(column: "entry", as: Data.self))
    }
}

/// What a signer needs to check that their signature is counted.
public struct TallyReceipt: Sendable, Equatable {
    public let petitionID: Int64
    public let leafIndex: UInt64
    public let leafHash: MerkleHash
    /// The 32 random bytes of the signer's commitment.
    public let nonce: [UInt8]
}

/// Whether a leaf still counts, as the log's later entries say.
public struct LeafStanding: Sendable, Equatable {
    public let entry: StoredTallyEntry
    /// The latest revocation naming the leaf, unless a reinstatement came after it.
    public let revocation: TallyEntry.Revocation?
}

extension Store {
    /// The number of entries in a petition's log.
    public func tallySize(petitionID: Int64) async throws -> UInt64 {
        try await Self.tallySize(petitionID: petitionID, from: reader)
    }

    static func tallySize(petitionID: Int64, from database: any SQLDatabase) async throws -> UInt64 {
        let size = try await database.raw("SELECT size FROM tally_logs WHERE petition_id = \(bind: petitionID)").first()?
            .decode(column: "size", as: Int64.self) ?? 0
        return UInt64(size)
    }

    /// The root of the first `size` entries of a petition's log.
    public func tallyRoot(petitionID: Int64, size: UInt64) async throws -> MerkleHash {
        try await Self.tallyRoot(petitionID: petitionID, size: size, from: reader)
    }

    static func tallyRoot(petitionID: Int64, size: UInt64, from database: any SQLDatabase) async throws -> MerkleHash {
        MerkleTree.combine(try await nodeHashes(MerkleTree.perfectNodes(from: 0, to: size), petitionID: petitionID, from: database))
    }

    /// Entries `range` of a petition's log, in order; the range must lie inside the log.
    public func tallyEntries(petitionID: Int64, range: Range<UInt64>) async throws -> [StoredTallyEntry] {
        guard !range.isEmpty else { return [] }
        return try await reader.raw(
            """
            SELECT leaf_index, entry FROM tally_entries
            WHERE petition_id = \(bind: petitionID) AND leaf_index >= \(bind: Int64(range.lowerBound))
              AND leaf_index < \(bind: Int64(range.upperBound))
            ORDER BY leaf_index
            """
        ).all().map(StoredTallyEntry.init(row:))
    }

    /// The audit path of a leaf in the tree of the first `size` entries.
    public func inclusionProof(petitionID: Int64, leafIndex: UInt64, size: UInt64) async throws -> [MerkleHash] {
        try await hashes(of: try MerkleTree.inclusionPathRanges(index: leafIndex, size: size), petitionID: petitionID)
    }

    /// The proof that the tree of `first` entries is the start of the tree of `second`.
    public func consistencyProof(petitionID: Int64, first: UInt64, second: UInt64) async throws -> [MerkleHash] {
        try await hashes(of: try MerkleTree.consistencyRanges(from: first, to: second), petitionID: petitionID)
    }

    private func hashes(of ranges: [Range<UInt64>], petitionID: Int64) async throws -> [MerkleHash] {
        let parts = ranges.map { MerkleTree.perfectNodes(from: $0.lowerBound, to: $0.upperBound) }
        var hashes = try await Self.nodeHashes(parts.flatMap { $0 }, petitionID: petitionID, from: reader)[...]
        return parts.map { part in
            defer { hashes = hashes.dropFirst(part.count) }
            return MerkleTree.combine(Array(hashes.prefix(part.count)))
        }
    }

    /// The index of the entry with this leaf hash, or `nil` if the log has none.
    public func tallyLeafIndex(petitionID: Int64, leafHash: MerkleHash) async throws -> UInt64? {
        let position = try await reader.raw(
            """
            SELECT position FROM tally_nodes
            WHERE petition_id = \(bind: petitionID) AND hash = \(bind: Data(leafHash.bytes)) AND level = 0
            """
        ).first()?.decode(column: "position", as: Int64.self)
        return position.map { UInt64($0) }
    }

    /// A leaf's entry and whether a later entry revoked it.
    public func leafStanding(petitionID: Int64, leafIndex: UInt64) async throws -> LeafStanding? {
        guard let entry = try await tallyEntries(petitionID: petitionID, range: leafIndex..<(leafIndex + 1)).first else { return nil }
        let latest = try await reader.raw(
            """
            SELECT entry FROM tally_entries
            WHERE petition_id = \(bind: petitionID) AND target_leaf = \(bind: Int64(leafIndex))
            ORDER BY leaf_index DESC LIMIT 1
            """
        ).first()?.decode(column: "entry", as: Data.self)
        var revocation: TallyEntry.Revocation?
        if let latest, case .revocation(let revoked) = try? TallyEntry(bytes: Array(latest)) {
            revocation = revoked
        }
        return LeafStanding(entry: entry, revocation: revocation)
    }

    /// The receipt of the signature a confirmation link belongs to, once it is in the log.
    public func receipt(token: ConfirmationToken) async throws -> TallyReceipt? {
        guard let row = try await reader.raw(
            """
            SELECT s.petition_id, s.tally_leaf, s.receipt_nonce, n.hash
            FROM signatures AS s
            JOIN tally_nodes AS n ON n.petition_id = s.petition_id AND n.level = 0 AND n.position = s.tally_leaf
            WHERE s.token_hash = \(bind: token.hash) AND s.status = 'confirmed'
            """
        ).first(),
            let sealed = try row.decode(column: "receipt_nonce", as: Data?.self),
            let leaf = try row.decode(column: "tally_leaf", as: Int64?.self)
        else { return nil }
        guard let hash = MerkleHash(bytes: Array(try row.decode(column: "hash", as: Data.self))) else {
            throw StoreError.corruptRow(table: "tally_nodes", problem: "leaf \(leaf) is not 32 bytes")
        }
        return TallyReceipt(
            petitionID: try row.decode(column: "petition_id", as: Int64.self),
            leafIndex: UInt64(leaf),
            leafHash: hash,
            nonce: try cipher.open(Array(sealed))
        )
    }

    /// Reads entries `0..<size` of a log page by page and hands each page to `body`, so that a
    /// million entries never sit in memory at once.
    public func forEachTallyPage(
        petitionID: Int64,
        size: UInt64,
        pageSize: UInt64 = 10_000,
        _ body: ([StoredTallyEntry]) async throws -> Void
    ) async throws {
        var start: UInt64 = 0
        while start < size {
            let end = min(size, start + pageSize)
            let page = try await tallyEntries(petitionID: petitionID, range: start..<end)
            guard page.count == Int(end - start) else {
                throw StoreError.corruptRow(table: "tally_entries", problem: "entries \(start)..<\(end) of petition \(petitionID) are incomplete")
            }
            try await body(page)
            start = end
        }
    }

    /// The id of the signature an address gave a petition, found through the blind index.
    public func signatureID(petitionID: Int64, email: EmailAddress) async throws -> Int64? {
        let index = cipher.blindIndex(ofNormalisedEmail: email.normalised)
        return try await reader.raw(
            "SELECT id FROM signatures WHERE petition_id = \(bind: petitionID) AND email_index = \(bind: index)"
        ).first()?.decode(column: "id", as: Int64.self)
    }
}
