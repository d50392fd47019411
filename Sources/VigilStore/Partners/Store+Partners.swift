import Foundation
import SQLKit
import VigilCore

extension Store {
    private static let partnerColumns: SQLQueryString =
        "id, name, website, contact, trusted, token_hint, created_at, revoked_at, last_used_at"

    /// Registers a partner site and issues its token, which is returned once and never stored:
    /// only its hash is. Audited as `partner.created`.
    public func createPartner(_ details: PartnerDetails, audit entry: AuditRecord) async throws -> (partner: Partner, token: PartnerToken) {
        guard let creator = entry.staffID else { throw StoreError.invalidRequest("a partner is registered by a member of staff") }
        let token = PartnerToken(random: random)
        let partner = try await transaction { database in
            guard try await database.raw("SELECT id FROM partners WHERE name = \(bind: details.name)").first() == nil else {
                throw PartnerProblem(.nameTaken, field: .name)
            }
            guard let row = try await database.raw(
                """
                INSERT INTO partners (name, website, contact, trusted, token_hash, token_hint, created_by, created_at)
                VALUES (\(bind: details.name), \(bind: details.website), \(bind: details.contact), \(bind: details.trusted),
                    \(bind: token.hash), \(bind: token.hint), \(bind: creator), \(bind: now().storedMilliseconds))
                RETURNING
                """ + " " + Self.partnerColumns
            ).first() else { throw StoreError.corruptRow(table: "partners", problem: "insert returned nothing") }
            let partner = try Self.partner(row)
            var record = entry.about("partner:\(partner.id)")
            record.action = "partner.created"
            record.details = ["name": details.name, "trusted": String(details.trusted), "token": "…" + token.hint]
            try await appendAudit(record, on: database)
            return partner
        }
        return (partner, token)
    }

    /// Changes whether a partner's signatures count without Vigil's confirmation e-mail.
    /// Audited as `partner.trusted` or `partner.untrusted`.
    public func setPartnerTrusted(id: Int64, _ trusted: Bool, audit entry: AuditRecord) async throws -> Partner {
        try await transaction { database in
            guard let row = try await database.raw(
                "UPDATE partners SET trusted = \(bind: trusted) WHERE id = \(bind: id) RETURNING " + Self.partnerColumns
            ).first() else { throw StoreError.notFound("partner \(id)") }
            var record = entry.about("partner:\(id)")
            record.action = trusted ? "partner.trusted" : "partner.untrusted"
            try await appendAudit(record, on: database)
            return try Self.partner(row)
        }
    }

    /// Revokes a partner's token at once: its next push is refused. A new token can be issued
    /// with ``reissuePartnerToken(id:audit:)``. Audited as `partner.revoked`.
    public func revokePartner(id: Int64, audit entry: AuditRecord) async throws -> Partner {
        guard let revoker = entry.staffID else { throw StoreError.invalidRequest("a partner is revoked by a member of staff") }
        return try await transaction { database in
            guard let row = try await database.raw(
                """
                UPDATE partners SET revoked_at = COALESCE(revoked_at, \(bind: now().storedMilliseconds)),
                    revoked_by = COALESCE(revoked_by, \(bind: revoker))
                WHERE id = \(bind: id) RETURNING
                """ + " " + Self.partnerColumns
            ).first() else { throw StoreError.notFound("partner \(id)") }
            var record = entry.about("partner:\(id)")
            record.action = "partner.revoked"
            try await appendAudit(record, on: database)
            return try Self.partner(row)
        }
    }

    /// Replaces a partner's token with a new one, which is returned once; the old token stops
    /// working and a revoked partner works again. Audited as `partner.token-issued`.
    public func reissuePartnerToken(id: Int64, audit entry: AuditRecord) async throws -> (partner: Partner, token: PartnerToken) {
        let token = PartnerToken(random: random)
        let partner = try await transaction { database in
            guard let row = try await database.raw(
                """
                UPDATE partners SET token_hash = \(bind: token.hash), token_hint = \(bind: token.hint), revoked_at = NULL, revoked_by = NULL
                WHERE id = \(bind: id) RETURNING
                """ + " " + Self.partnerColumns
            ).first() else { throw StoreError.notFound("partner \(id)") }
            var record = entry.about("partner:\(id)")
            record.action = "partner.token-issued"
            record.details = ["token": "…" + token.hint]
            try await appendAudit(record, on: database)
            return try Self.partner(row)
        }
        return (partner, token)
    }

    /// Every partner, by name.
    public func partners() async throws -> [Partner] {
        try await reader.raw("SELECT " + Self.partnerColumns + " FROM partners ORDER BY name, id").all().map(Self.partner)
    }

    /// The partner whose current token this is, unless it was revoked; the moment of use is
    /// recorded, at most once a minute, so staff see which partners are active.
    public func partner(token: PartnerToken) async throws -> Partner? {
        guard let partner = try await reader.raw(
            "SELECT " + Self.partnerColumns + " FROM partners WHERE token_hash = \(bind: token.hash) AND revoked_at IS NULL"
        ).first().map(Self.partner) else { return nil }
        let nowMS = now().storedMilliseconds
        if (partner.lastUsedAt?.storedMilliseconds ?? 0) < nowMS - 60_000 {
            try await write { database in
                try await database.raw("UPDATE partners SET last_used_at = \(bind: nowMS) WHERE id = \(bind: partner.id)").run()
            }
        }
        return partner
    }

    /// Confirmed signatures each partner brought to a petition, by partner id.
    public func partnerCounts(petitionID: Int64) async throws -> [Int64: Int] {
        var counts: [Int64: Int] = [:]
        for row in try await reader.raw(
            """
            SELECT partner_id, COUNT(*) AS n FROM signatures
            WHERE petition_id = \(bind: petitionID) AND channel = 'partner' AND status = 'confirmed' AND revoked_reason IS NULL
            GROUP BY partner_id
            """
        ).all() {
            if let id = try row.decode(column: "partner_id", as: Int64?.self) { counts[id] = try row.decode(column: "n", as: Int.self) }
        }
        return counts
    }

    private static func partner(_ row: any SQLRow) throws -> Partner {
        Partner(
            id: try row.decode(column: "id", as: Int64.self),
            details: PartnerDetails(
                name: try row.decode(column: "name", as: String.self),
                website: try row.decode(column: "website", as: String.self),
                contact: try row.decode(column: "contact", as: String.self),
                trusted: try row.decode(column: "trusted", as: Bool.self)
            ),
            tokenHint: try row.decode(column: "token_hint", as: String.self),
            createdAt: Date(storedMilliseconds: try row.decode(column: "created_at", as: Int64.self)),
            revokedAt: try row.decode(column: "revoked_at", as: Int64?.self).map(Date.init(storedMilliseconds:)),
            lastUsedAt: try row.decode(column: "last_used_at", as: Int64?.self).map(Date.init(storedMilliseconds:))
        )
    }
}
