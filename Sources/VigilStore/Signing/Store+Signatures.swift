import Foundation
import SQLKit
import VigilCore

/// Where a signature stands, as seen through its confirmation link.
public struct SignatureStanding: Sendable, Equatable {
    public enum Status: String, Sendable {
        case pending, confirmed, held
    }

    public let petitionID: Int64
    public let status: Status
    /// The signer's place among those confirmed here, once confirmed.
    public let signerNumber: Int?
    /// Whether the link can no longer confirm.
    public let linkExpired: Bool
    /// The language the signer signed in; pages about the signature use it.
    public let language: Language
    /// Why a confirmed signature no longer counts (withdrawn or invalidated), if it does not.
    public let revokedReason: String?
}

extension Store {
    /// Looks up the signature a confirmation link belongs to, without changing anything.
    public func signatureStanding(token: ConfirmationToken) async throws -> SignatureStanding? {
        guard let row = try await reader.raw(
            """
            SELECT petition_id, status, signer_number, token_expires_at, language, revoked_reason
            FROM signatures WHERE token_hash = \(bind: token.hash)
            """
        ).first() else { return nil }
        let statusText = try row.decode(column: "status", as: String.self)
        guard let status = SignatureStanding.Status(rawValue: statusText) else {
            throw StoreError.corruptRow(table: "signatures", problem: "status '\(statusText)'")
        }
        let expiresAt = try row.decode(column: "token_expires_at", as: Int64?.self) ?? 0
        return SignatureStanding(
            petitionID: try row.decode(column: "petition_id", as: Int64.self),
            status: status,
            signerNumber: try row.decode(column: "signer_number", as: Int?.self),
            linkExpired: status == .pending && expiresAt < now().storedMilliseconds,
            language: Language(rawValue: try row.decode(column: "language", as: String.self)) ?? .fallback,
            revokedReason: try row.decode(column: "revoked_reason", as: String?.self)
        )
    }

    /// Counts a petition's signatures row by row, by status; withdrawn and invalidated signatures
    /// are not counted as confirmed. For checks and tests only: pages read ``LiveCounts`` instead.
    public func recount(
        petitionID: Int64
    ) async throws -> (
        confirmed: Int, pending: Int, held: Int, byChannel: [String: Int], byCountry: [String: Int], byCommittee: [Int64: Int],
        byDay: [Int64: Int]
    ) {
        var result = (
            confirmed: 0, pending: 0, held: 0, byChannel: [String: Int](), byCountry: [String: Int](), byCommittee: [Int64: Int](),
            byDay: [Int64: Int]()
        )
        // Pending signatures have no index of their own, because confirming would rewrite it at
        // random places: they are counted as the rest. Only counted signatures are ever revoked.
        let all = try await signatureCount(where: "petition_id = \(bind: petitionID)")
        let counted = try await reader.raw(
            """
            SELECT COUNT(*) AS counted, COUNT(*) FILTER (WHERE revoked_reason IS NULL) AS confirmed FROM signatures
            WHERE petition_id = \(bind: petitionID) AND status = 'confirmed'
            """
        ).first()
        result.confirmed = try counted?.decode(column: "confirmed", as: Int.self) ?? 0
        result.held = try await signatureCount(where: "petition_id = \(bind: petitionID) AND status = 'held'")
        result.pending = all - (try counted?.decode(column: "counted", as: Int.self) ?? 0) - result.held
        for row in try await reader.raw(
            """
            SELECT channel, COUNT(*) AS n FROM signatures
            WHERE petition_id = \(bind: petitionID) AND status = 'confirmed' AND revoked_reason IS NULL GROUP BY channel
            """
        ).all() {
            result.byChannel[try row.decode(column: "channel", as: String.self)] = try row.decode(column: "n", as: Int.self)
        }
        for row in try await reader.raw(
            """
            SELECT country, COUNT(*) AS n FROM signatures
            WHERE petition_id = \(bind: petitionID) AND status = 'confirmed' AND revoked_reason IS NULL GROUP BY country
            """
        ).all() {
            result.byCountry[try row.decode(column: "country", as: String.self)] = try row.decode(column: "n", as: Int.self)
        }
        for row in try await reader.raw(
            """
            SELECT committee_id, COUNT(*) AS n FROM signatures
            WHERE petition_id = \(bind: petitionID) AND status = 'confirmed' AND revoked_reason IS NULL AND committee_id IS NOT NULL
            GROUP BY committee_id
            """
        ).all() {
            result.byCommittee[try row.decode(column: "committee_id", as: Int64.self)] = try row.decode(column: "n", as: Int.self)
        }
        for row in try await reader.raw(
            """
            SELECT confirmed_at / \(literal: PetitionCounts.dayMilliseconds) AS day, COUNT(*) AS n FROM signatures
            WHERE petition_id = \(bind: petitionID) AND status = 'confirmed' AND revoked_reason IS NULL
            GROUP BY confirmed_at / \(literal: PetitionCounts.dayMilliseconds)
            """
        ).all() {
            result.byDay[try row.decode(column: "day", as: Int64.self)] = try row.decode(column: "n", as: Int.self)
        }
        return result
    }

    /// How many signatures meet `condition`, read on a reading connection.
    func signatureCount(where condition: SQLQueryString) async throws -> Int {
        try await reader.raw("SELECT COUNT(*) AS n FROM signatures WHERE " + condition).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// The counters as stored, read from the database rather than from memory.
    public func storedCounts(petitionID: Int64) async throws -> PetitionCounts {
        try await Self.readCounts(from: reader, petitionIDs: [petitionID])[petitionID] ?? PetitionCounts()
    }
}

extension Store {
    /// The status of the signature an address gave a petition, found through the blind index,
    /// or `nil` if the address has not signed it.
    public func signatureStatus(petitionID: Int64, email: EmailAddress) async throws -> SignatureStanding.Status? {
        let index = cipher.blindIndex(ofNormalisedEmail: email.normalised)
        guard let row = try await reader.raw(
            "SELECT status FROM signatures WHERE petition_id = \(bind: petitionID) AND email_index = \(bind: index)"
        ).first() else { return nil }
        return SignatureStanding.Status(rawValue: try row.decode(column: "status", as: String.self))
    }

    /// SQLite's own consistency check of the database file: `ok` when the file is sound.
    public func integrityCheck() async throws -> String {
        try await reader.raw("PRAGMA integrity_check").all().map { try $0.decode(column: "integrity_check", as: String.self) }
            .joined(separator: "; ")
    }
}
