import Foundation
import SQLKit
import VigilCore

/// A signature as staff see it when they look it up or review it: personal data opened.
public struct SignatureRecord: Sendable, Equatable {
    public enum Moderation: String, Sendable, CaseIterable {
        /// Nothing to show: no public name asked for, or no comment.
        case none
        case pending, approved, hidden
    }

    public let id: Int64
    public let petitionID: Int64
    public let status: SignatureStanding.Status
    public let name: String
    public let email: String
    public let city: String?
    public let comment: String?
    public let country: String
    public let language: String
    public let textHash: String
    public let showNamePublicly: Bool
    public let keepInformed: Bool
    public let holdReason: String?
    public let signerNumber: Int?
    public let createdAt: Date
    public let confirmedAt: Date?
    public let nameModeration: Moderation
    public let commentModeration: Moderation
    /// Why a confirmed signature no longer counts (`withdrawn` or `invalidated`), if it does not.
    public let revokedReason: String?

    /// The signature's standing in one word: pending, confirmed, held, withdrawn or invalidated.
    public var standing: String { revokedReason ?? status.rawValue }
}

/// A name or comment the public may see, once approved.
public struct PublicSigner: Sendable, Equatable {
    /// `nil` when the signer did not ask to be named, or the name is not approved.
    public let name: String?
    public let country: String
    public let comment: String?
    public let confirmedAt: Date
}

extension Store {
    private static let recordColumns: SQLQueryString = """
        id, petition_id, status, personal_data, country, language, text_hash, show_name_publicly, keep_informed,
        hold_reason, signer_number, created_at, confirmed_at, name_moderation, comment_moderation, revoked_reason
        """

    /// The signatures an address gave, on every petition, found through the blind index.
    public func signatures(email: EmailAddress) async throws -> [SignatureRecord] {
        let index = cipher.blindIndex(ofNormalisedEmail: email.normalised)
        return try await reader.raw(
            "SELECT \(Self.recordColumns) FROM signatures WHERE email_index = \(bind: index) ORDER BY id"
        ).all().map(record)
    }

    /// One signature by id.
    public func signatureRecord(id: Int64) async throws -> SignatureRecord? {
        try await reader.raw("SELECT \(Self.recordColumns) FROM signatures WHERE id = \(bind: id)").first().map(record)
    }

    /// The signature a "manage my signature" link belongs to.
    public func signatureRecord(manageToken: String) async throws -> SignatureRecord? {
        try await reader.raw(
            "SELECT \(Self.recordColumns) FROM signatures WHERE manage_token_hash = \(bind: PersonalDataCipher.hash(manageToken: manageToken))"
        ).first().map(record)
    }

    /// Stops e-mailed updates to a signer. Nothing else about the signature changes.
    public func stopUpdates(signatureID: Int64) async throws {
        try await write { database in
            try await database.raw("UPDATE signatures SET keep_informed = FALSE WHERE id = \(bind: signatureID)").run()
        }
    }

    /// Signatures held back as suspected abuse, newest first.
    public func heldSignatures(petitionID: Int64, limit: Int) async throws -> [SignatureRecord] {
        try await reader.raw(Self.heldSignaturesQuery(petitionID: petitionID, limit: limit)).all().map(record)
    }

    /// The query behind ``heldSignatures(petitionID:limit:)``, which reads the `signatures_held` index.
    static func heldSignaturesQuery(petitionID: Int64, limit: Int) -> SQLQueryString {
        """
        SELECT \(recordColumns) FROM signatures
        WHERE petition_id = \(bind: petitionID) AND status = 'held' ORDER BY id DESC LIMIT \(bind: limit)
        """
    }

    /// Confirmed signatures whose public name or comment waits for a decision, oldest first.
    public func moderationQueue(petitionID: Int64, limit: Int) async throws -> [SignatureRecord] {
        try await reader.raw(Self.moderationQueueQuery(petitionID: petitionID, limit: limit)).all().map(record)
    }

    /// The query behind ``moderationQueue(petitionID:limit:)``, which reads the counted
    /// signatures through the `signatures_counted` index.
    static func moderationQueueQuery(petitionID: Int64, limit: Int) -> SQLQueryString {
        """
        SELECT \(recordColumns) FROM signatures
        WHERE petition_id = \(bind: petitionID) AND status = 'confirmed' AND revoked_reason IS NULL
          AND (name_moderation = 'pending' OR comment_moderation = 'pending')
        ORDER BY confirmed_at LIMIT \(bind: limit)
        """
    }

    /// Approves or hides a signature's public name or comment, and makes pages show the decision.
    public func moderate(signatureID: Int64, name: SignatureRecord.Moderation?, comment: SignatureRecord.Moderation?, audit entry: AuditRecord) async throws {
        guard let record = try await signatureRecord(id: signatureID) else { throw StoreError.notFound("signature \(signatureID)") }
        var audit = entry
        if let name { audit.details["name"] = name.rawValue }
        if let comment { audit.details["comment"] = comment.rawValue }
        try await transaction { database in
            if let name {
                try await database.raw("UPDATE signatures SET name_moderation = \(bind: name.rawValue) WHERE id = \(bind: signatureID)").run()
            }
            if let comment {
                try await database.raw("UPDATE signatures SET comment_moderation = \(bind: comment.rawValue) WHERE id = \(bind: signatureID)").run()
            }
            // The petition page caches its list of signers by version.
            try await database.raw(
                "UPDATE petition_counters SET version = version + 1 WHERE petition_id = \(bind: record.petitionID)"
            ).run()
            try await appendAudit(audit.about("signature:\(signatureID)"), on: database)
        }
        try await refreshLiveCounts(petitionID: record.petitionID)
    }

    /// The newest confirmed signers with an approved public name or comment.
    public func publicSigners(petitionID: Int64, limit: Int) async throws -> [PublicSigner] {
        try await reader.raw(Self.publicSignersQuery(petitionID: petitionID, limit: limit)).all().map(record).compactMap { record in
            let name = record.nameModeration == .approved ? record.name : nil
            let comment = record.commentModeration == .approved ? record.comment : nil
            guard name != nil || comment != nil, let confirmedAt = record.confirmedAt else { return nil }
            return PublicSigner(name: name, country: record.country, comment: comment, confirmedAt: confirmedAt)
        }
    }

    /// The query behind ``publicSigners(petitionID:limit:)``: its conditions are those of the
    /// `signatures_public` index, word for word, so SQLite reads that index and stops at `limit`.
    static func publicSignersQuery(petitionID: Int64, limit: Int) -> SQLQueryString {
        """
        SELECT \(recordColumns) FROM signatures
        WHERE petition_id = \(bind: petitionID) AND status = 'confirmed' AND revoked_reason IS NULL
          AND (name_moderation = 'approved' OR comment_moderation = 'approved')
        ORDER BY confirmed_at DESC LIMIT \(bind: limit)
        """
    }

    /// What signing needs to send a held signature for confirmation, as if its owner had
    /// signed again without raising suspicion.
    public func signingRequest(releasing record: SignatureRecord) throws -> SigningRequest {
        let form = SignatureForm(
            name: record.name, email: record.email, country: record.country, city: record.city ?? "",
            comment: record.comment ?? "", showNamePublicly: record.showNamePublicly, keepInformed: record.keepInformed
        )
        guard case .success(let signature) = form.validated() else {
            throw StoreError.corruptRow(table: "signatures", problem: "stored signature \(record.id) no longer validates")
        }
        return SigningRequest(
            petitionID: record.petitionID,
            signature: signature,
            language: Language(rawValue: record.language) ?? .fallback,
            textHash: record.textHash
        )
    }

    private func record(_ row: any SQLRow) throws -> SignatureRecord {
        let details = try cipher.open(json: SignerDetails.self, from: Array(try row.decode(column: "personal_data", as: Data.self)))
        let statusText = try row.decode(column: "status", as: String.self)
        guard let status = SignatureStanding.Status(rawValue: statusText) else {
            throw StoreError.corruptRow(table: "signatures", problem: "status '\(statusText)'")
        }
        return SignatureRecord(
            id: try row.decode(column: "id", as: Int64.self),
            petitionID: try row.decode(column: "petition_id", as: Int64.self),
            status: status,
            name: details.name,
            email: details.email,
            city: details.city,
            comment: details.comment,
            country: try row.decode(column: "country", as: String.self),
            language: try row.decode(column: "language", as: String.self),
            textHash: try row.decode(column: "text_hash", as: String.self),
            showNamePublicly: try row.decode(column: "show_name_publicly", as: Bool.self),
            keepInformed: try row.decode(column: "keep_informed", as: Bool.self),
            holdReason: try row.decode(column: "hold_reason", as: String?.self),
            signerNumber: try row.decode(column: "signer_number", as: Int?.self),
            createdAt: Date(storedMilliseconds: try row.decode(column: "created_at", as: Int64.self)),
            confirmedAt: try row.decode(column: "confirmed_at", as: Int64?.self).map(Date.init(storedMilliseconds:)),
            nameModeration: SignatureRecord.Moderation(rawValue: try row.decode(column: "name_moderation", as: String.self)) ?? .none,
            commentModeration: SignatureRecord.Moderation(rawValue: try row.decode(column: "comment_moderation", as: String.self)) ?? .none,
            revokedReason: try row.decode(column: "revoked_reason", as: String?.self)
        )
    }
}
