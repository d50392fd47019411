import Foundation
import SQLKit
import VigilCore

/// Which counted signatures of a petition a bulk invalidation takes: every criterion given must
/// hold, and at least one must be given, so a batch can never take a whole petition by mistake.
public struct InvalidationCriteria: Sendable, Equatable {
    public var petitionID: Int64
    /// The keyed hash of the ``NetworkRange`` the signatures came from. Networks are kept only
    /// for a few days, so older signatures never match.
    public var networkHash: String?
    /// The e-mail domain, spelled as ``EmailAddress/domain`` spells it.
    public var emailDomain: String?
    /// The keyed hash of an e-mail domain, as a ``SigningHotspot`` gives it.
    public var emailDomainHash: String?
    /// An ISO 3166 country code.
    public var country: String?
    /// Signed on or after this moment.
    public var signedFrom: Date?
    /// Signed before this moment.
    public var signedBefore: Date?
    /// The criteria in words, as staff gave them, kept with the batch and in the audit log.
    public var summary: String

    public init(
        petitionID: Int64,
        networkHash: String? = nil,
        emailDomain: String? = nil,
        emailDomainHash: String? = nil,
        country: String? = nil,
        signedFrom: Date? = nil,
        signedBefore: Date? = nil,
        summary: String
    ) {
        self.petitionID = petitionID
        self.networkHash = networkHash
        self.emailDomain = emailDomain
        self.emailDomainHash = emailDomainHash
        self.country = country
        self.signedFrom = signedFrom
        self.signedBefore = signedBefore
        self.summary = summary
    }

    var isEmpty: Bool {
        networkHash == nil && emailDomain == nil && emailDomainHash == nil && country == nil && signedFrom == nil
            && signedBefore == nil
    }
}

/// A set of signatures staff took out of the count together, and can put back together.
public struct InvalidationBatch: Sendable, Equatable {
    public let id: Int64
    public let petitionID: Int64
    public let actor: String
    public let reason: String
    public let criteria: String
    /// How many signatures the batch took out.
    public let signatureCount: Int
    /// How many of them are still out of the count (all of them until the batch is undone).
    public let stillInvalidated: Int
    public let createdAt: Date
    public let undoneAt: Date?
    public let undoneBy: String?
}

extension Store {
    /// How many counted signatures the criteria would take out of the count now.
    public func invalidationMatches(_ criteria: InvalidationCriteria) async throws -> Int {
        try await signatureCount(where: matching(criteria))
    }

    /// Takes every counted signature that matches out of the count, as one batch, with a
    /// revocation entry for each in the tally log. Nothing is deleted; the batch can be undone.
    ///
    /// Throws ``StoreError/invalidRequest(_:)``, changing nothing, when no criterion is given,
    /// the reason is missing or too long, or no counted signature matches.
    public func invalidate(_ criteria: InvalidationCriteria, reason: String, audit entry: AuditRecord) async throws -> InvalidationBatch {
        guard !criteria.isEmpty else { throw StoreError.invalidRequest("give at least one criterion: a network, a domain, a country or dates") }
        let ids = try await reader.raw("SELECT id FROM signatures WHERE " + matching(criteria) + " ORDER BY id").all()
            .map { try $0.decode(column: "id", as: Int64.self) }
        guard !ids.isEmpty else { throw StoreError.invalidRequest("no counted signature matches these criteria; nothing was changed") }
        // Checks the reason before anything is written.
        let trimmedReason = try SignatureRevision.checked(reason: reason)
        let nowMS = now().storedMilliseconds
        // The batch and its audit line first, so the revision can name the batch; if the revision
        // then fails, both are taken back and the failure is recorded.
        let batchID = try await transaction { database in
            let id = try await database.raw(
                """
                INSERT INTO invalidations (petition_id, staff_id, actor, reason, criteria, signature_count, created_at)
                VALUES (\(bind: criteria.petitionID), \(bind: entry.staffID), \(bind: entry.actor), \(bind: trimmedReason),
                        \(bind: criteria.summary), \(bind: ids.count), \(bind: nowMS))
                RETURNING id
                """
            ).first()?.decode(column: "id", as: Int64.self)
            guard let id else { throw StoreError.corruptRow(table: "invalidations", problem: "no id returned") }
            var audit = entry.about("invalidation:\(id)")
            audit.details.merge(
                ["criteria": criteria.summary, "reason": trimmedReason, "signatures": String(ids.count)], uniquingKeysWith: { $1 }
            )
            try await appendAudit(audit, on: database)
            return id
        }
        do {
            _ = try await signatureWriter.revise(.invalidate(signatureIDs: ids, reason: trimmedReason, batch: batchID))
        } catch {
            try await transaction { database in
                try await database.raw("DELETE FROM invalidations WHERE id = \(bind: batchID)").run()
                var failed = entry.about("invalidation:\(batchID)")
                failed.action += ".failed"
                failed.details["error"] = "\(error)"
                try await appendAudit(failed, on: database)
            }
            throw error
        }
        guard let batch = try await invalidationBatch(id: batchID) else { throw StoreError.notFound("invalidation \(batchID)") }
        return batch
    }

    /// Counts again every signature of a batch that is still set aside, with a reinstatement
    /// entry for each in the tally log. Returns how many were put back.
    public func undoInvalidation(batchID: Int64, audit entry: AuditRecord) async throws -> Int {
        guard let batch = try await invalidationBatch(id: batchID) else { throw StoreError.notFound("invalidation \(batchID)") }
        guard batch.undoneAt == nil else { throw StoreError.invalidRequest("this batch was undone already; nothing was changed") }
        let ids = try await reader.raw(
            "SELECT id FROM signatures WHERE invalidation_id = \(bind: batchID) AND revoked_reason = 'invalidated' ORDER BY id"
        ).all().map { try $0.decode(column: "id", as: Int64.self) }
        if !ids.isEmpty {
            _ = try await signatureWriter.revise(.undoInvalidation(signatureIDs: ids))
        }
        try await transaction { database in
            try await database.raw(
                """
                UPDATE invalidations SET undone_at = \(bind: now().storedMilliseconds), undone_by = \(bind: entry.actor)
                WHERE id = \(bind: batchID)
                """
            ).run()
            var audit = entry.about("invalidation:\(batchID)")
            audit.details["signatures"] = String(ids.count)
            try await appendAudit(audit, on: database)
        }
        return ids.count
    }

    /// A petition's invalidation batches, newest first.
    public func invalidationBatches(petitionID: Int64, limit: Int) async throws -> [InvalidationBatch] {
        try await reader.raw(
            Self.batchQuery + " WHERE i.petition_id = \(bind: petitionID) GROUP BY i.id ORDER BY i.id DESC LIMIT \(bind: limit)"
        ).all().map(Self.batch)
    }

    /// One invalidation batch.
    public func invalidationBatch(id: Int64) async throws -> InvalidationBatch? {
        try await reader.raw(Self.batchQuery + " WHERE i.id = \(bind: id) GROUP BY i.id").first().map(Self.batch)
    }

    private static let batchQuery: SQLQueryString = """
        SELECT i.id, i.petition_id, i.actor, i.reason, i.criteria, i.signature_count, i.created_at, i.undone_at,
            i.undone_by, COUNT(s.id) AS still_invalidated
        FROM invalidations AS i
        LEFT JOIN signatures AS s ON s.invalidation_id = i.id AND s.revoked_reason = 'invalidated'
        """

    private static func batch(_ row: any SQLRow) throws -> InvalidationBatch {
        InvalidationBatch(
            id: try row.decode(column: "id", as: Int64.self),
            petitionID: try row.decode(column: "petition_id", as: Int64.self),
            actor: try row.decode(column: "actor", as: String.self),
            reason: try row.decode(column: "reason", as: String.self),
            criteria: try row.decode(column: "criteria", as: String.self),
            signatureCount: try row.decode(column: "signature_count", as: Int.self),
            stillInvalidated: try row.decode(column: "still_invalidated", as: Int.self),
            createdAt: Date(storedMilliseconds: try row.decode(column: "created_at", as: Int64.self)),
            undoneAt: try row.decode(column: "undone_at", as: Int64?.self).map(Date.init(storedMilliseconds:)),
            undoneBy: try row.decode(column: "undone_by", as: String?.self)
        )
    }

    /// The condition for the counted signatures that match: confirmed, not revoked, and every
    /// criterion given.
    private func matching(_ criteria: InvalidationCriteria) -> SQLQueryString {
        var condition: SQLQueryString =
            "petition_id = \(bind: criteria.petitionID) AND status = 'confirmed' AND revoked_reason IS NULL"
        if let hash = criteria.networkHash { condition = condition + " AND network_hash = \(bind: hash)" }
        if let hash = criteria.emailDomain.map(cipher.domainIndex(of:)) ?? criteria.emailDomainHash {
            condition = condition + " AND email_domain_hash = \(bind: hash)"
        }
        if let country = criteria.country { condition = condition + " AND country = \(bind: country)" }
        if let from = criteria.signedFrom { condition = condition + " AND created_at >= \(bind: from.storedMilliseconds)" }
        if let before = criteria.signedBefore { condition = condition + " AND created_at < \(bind: before.storedMilliseconds)" }
        return condition
    }
}

/// A network or an e-mail domain from which many signatures came in a short time: worth a look.
public struct SigningHotspot: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case network
        case emailDomain = "email-domain"
    }

    public let kind: Kind
    /// The keyed hash the signatures carry; staff can count and set them aside by it.
    public let hash: String
    /// Signatures from it since the moment asked about, whatever their state.
    public let count: Int
}

extension Store {
    /// Networks and e-mail domains that signed a petition at least `threshold` times since
    /// `since`, busiest first: the trending check of the dashboard.
    public func signingHotspots(petitionID: Int64, since: Date, threshold: Int) async throws -> [SigningHotspot] {
        var hotspots: [SigningHotspot] = []
        for (kind, column) in [(SigningHotspot.Kind.network, "network_hash"), (.emailDomain, "email_domain_hash")] {
            hotspots += try await reader.raw(
                """
                SELECT \(ident: column) AS hash, COUNT(*) AS n FROM signatures
                WHERE petition_id = \(bind: petitionID) AND created_at >= \(bind: since.storedMilliseconds)
                  AND \(ident: column) IS NOT NULL
                GROUP BY \(ident: column) HAVING COUNT(*) >= \(bind: threshold)
                """
            ).all().map { row in
                SigningHotspot(kind: kind, hash: try row.decode(column: "hash", as: String.self), count: try row.decode(column: "n", as: Int.self))
            }
        }
        return hotspots.sorted { ($0.count, $0.hash) > ($1.count, $1.hash) }
    }
}
