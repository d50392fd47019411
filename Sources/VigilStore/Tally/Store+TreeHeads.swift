import Foundation
import SQLKit
import VigilCore

extension Store {
    /// The newest signed tree head of a petition's log, or `nil` before the first is signed.
    public func latestTreeHead(petitionID: Int64) async throws -> SignedTreeHead? {
        try await latestTreeHead(petitionID: petitionID, on: reader)
    }

    private func latestTreeHead(petitionID: Int64, on database: any SQLDatabase) async throws -> SignedTreeHead? {
        guard let row = try await database.raw(
            """
            SELECT p.slug, h.tree_size, h.root_hash, h.signed_at, h.signature, h.key_id
            FROM tree_heads AS h JOIN petitions AS p ON p.id = h.petition_id
            WHERE h.petition_id = \(bind: petitionID)
            ORDER BY h.id DESC LIMIT 1
            """
        ).first() else { return nil }
        guard let root = MerkleHash(bytes: Array(try row.decode(column: "root_hash", as: Data.self))) else {
            throw StoreError.corruptRow(table: "tree_heads", problem: "root of petition \(petitionID) is not 32 bytes")
        }
        return SignedTreeHead(
            head: TreeHead(
                log: try row.decode(column: "slug", as: String.self),
                size: UInt64(try row.decode(column: "tree_size", as: Int64.self)),
                root: root,
                timestamp: try row.decode(column: "signed_at", as: Int64.self)
            ),
            signature: Array(try row.decode(column: "signature", as: Data.self)),
            keyID: try row.decode(column: "key_id", as: String.self)
        )
    }

    /// Signs and stores a tree head for the log as it is now, unless the newest head already
    /// covers every entry; returns the newest head either way.
    ///
    /// The check and the insert share a transaction that holds the petition's counter row, as the
    /// writers do when they append, so servers sharing one PostgreSQL sign each size once.
    @discardableResult
    public func signTreeHead(petitionID: Int64, key: TallyLogKey) async throws -> SignedTreeHead {
        guard let petition = try await petition(id: petitionID) else { throw StoreError.notFound("petition \(petitionID)") }
        let signed = try await transaction { database -> SignedTreeHead? in
            try await database.raw(
                "SELECT petition_id FROM petition_counters WHERE petition_id = \(bind: petitionID)"
                    + SQLQueryString(engine.lockingRows)
            ).run()
            let size = try await Self.tallySize(petitionID: petitionID, from: database)
            if let latest = try await latestTreeHead(petitionID: petitionID, on: database), latest.head.size == size,
               latest.keyID == key.publicKey.keyID {
                return nil
            }
            let head = TreeHead(
                log: petition.slug,
                size: size,
                root: try await Self.tallyRoot(petitionID: petitionID, size: size, from: database),
                timestamp: now().storedMilliseconds
            )
            let signed = try key.sign(head)
            try await database.raw(
                """
                INSERT INTO tree_heads (petition_id, tree_size, root_hash, signed_at, signature, key_id)
                VALUES (\(bind: petitionID), \(bind: Int64(size)), \(bind: Data(head.root.bytes)), \(bind: head.timestamp),
                        \(bind: Data(signed.signature)), \(bind: signed.keyID))
                """
            ).run()
            return signed
        }
        if let signed { return signed }
        guard let latest = try await latestTreeHead(petitionID: petitionID) else {
            throw StoreError.corruptRow(table: "tree_heads", problem: "petition \(petitionID) has no head after signing")
        }
        return latest
    }

    /// Signs a tree head for every petition whose log grew since its newest head.
    @discardableResult
    public func signTreeHeads(key: TallyLogKey) async throws -> [SignedTreeHead] {
        var signed: [SignedTreeHead] = []
        for slug in try await petitionSlugs() {
            guard let petition = try await petition(slug: slug) else { continue }
            signed.append(try await signTreeHead(petitionID: petition.id, key: key))
        }
        return signed
    }
}
