import Foundation
import SQLKit
import VigilCore

/// A signature about to be counted, as the writer reads it.
struct PendingConfirmation {
    var id: Int64
    var petitionID: Int64
    var emailIndex: String
    var status: String
    var country: String
    var language: String
    var textHash: String
    var personalData: Data
    var expiresAt: Int64?
    var number: Int?
    var committeeID: Int64?
    var channel = TallyEntry.Channel.online
}

/// A tally addition made from a signature, with what its receipt e-mail needs.
struct PreparedAddition {
    let entry: TallyEntry.Addition
    let nonce: [UInt8]
    let sealedNonce: Data
    let details: SignerDetails
    let language: String

    /// The receipt e-mail: leaf and nonce, queued in the transaction that counts the signature.
    func receipt(leaf: TallyAppender.Appended, signer: MailSigner) -> QueuedMail {
        QueuedMail(
            kind: .signatureReceipt,
            language: language,
            recipient: details.email,
            fields: [
                "name": details.name,
                "petition_id": String(signer.petitionID),
                "leaf_index": String(leaf.index),
                "leaf_hash": leaf.leafHash.hex,
                "nonce": nonce.hexString,
            ],
            signer: signer
        )
    }
}

/// A counted (or once counted) signature, as a revision reads it.
private struct RevisableSignature {
    var id: Int64
    var petitionID: Int64
    var status: String
    var country: String
    var leaf: UInt64?
    var revokedReason: String?
    var committeeID: Int64?
    var confirmedAt: Int64?
    var channel: String

    var counts: Bool { status == "confirmed" && revokedReason == nil && leaf != nil }

    var standing: String {
        switch (status, revokedReason) {
        case ("confirmed", .some(let reason)): reason
        case ("confirmed", nil): "counted"
        default: status
        }
    }
}

extension SignatureWriter {
    /// Makes the log entry of a signature being counted: a fresh nonce, sealed for re-sending
    /// receipts, and the commitment to the signer's normalised address. A paper signature may
    /// have no address; its commitment then binds the nonce alone.
    func prepareAddition(_ signature: PendingConfirmation, day: TallyDay) throws -> PreparedAddition {
        let details = try cipher.open(json: SignerDetails.self, from: Array(signature.personalData))
        let normalisedEmail: String
        if details.email.isEmpty, signature.channel == .paper {
            normalisedEmail = ""
        } else {
            do {
                normalisedEmail = try EmailAddress(details.email).normalised
            } catch {
                throw StoreError.corruptRow(table: "signatures", problem: "signature \(signature.id) holds an address that no longer parses")
            }
        }
        guard let textHash = [UInt8](hexadecimal: signature.textHash), textHash.count == 32 else {
            throw StoreError.corruptRow(table: "signatures", problem: "signature \(signature.id) has a text hash that is not SHA-256")
        }
        guard let country = Country(code: signature.country) else {
            throw StoreError.corruptRow(table: "signatures", problem: "signature \(signature.id) has country '\(signature.country)'")
        }
        let nonce = random.bytes(32)
        return PreparedAddition(
            entry: TallyEntry.Addition(
                channel: signature.channel,
                country: country.code,
                day: day,
                commitment: TallyEntry.commitment(nonce: nonce, normalisedEmail: normalisedEmail, petitionID: signature.petitionID),
                textHash: textHash
            ),
            nonce: nonce,
            sealedNonce: Data(try cipher.seal(nonce)),
            details: details,
            language: signature.language
        )
    }

    /// Applies withdrawals, invalidations and their undoing, in the order they came, each with
    /// its log entries and counter changes. A revision that cannot apply changes nothing and
    /// answers why, without failing the rest of the batch.
    func reviseSignatures(
        _ requests: [(index: Int, revision: SignatureRevision)],
        at moment: Date,
        changes: inout CounterChanges,
        tally: inout TallyAppender
    ) async throws -> [(Int, Result<RevisionOutcome, StoreError>)] {
        guard !requests.isEmpty else { return [] }
        let nowMS = moment.storedMilliseconds
        let day = TallyDay(moment)
        var rows: [Int64: RevisableSignature] = [:]
        for chunk in Array(Set(requests.flatMap(\.revision.signatureIDs))).sorted().chunked(500) {
            for row in try await database.raw(
                """
                SELECT id, petition_id, status, country, tally_leaf, revoked_reason, committee_id, confirmed_at, channel
                FROM signatures WHERE id IN (\(binds: Array(chunk)))
                """
            ).all() {
                let id = try row.decode(column: "id", as: Int64.self)
                rows[id] = RevisableSignature(
                    id: id,
                    petitionID: try row.decode(column: "petition_id", as: Int64.self),
                    status: try row.decode(column: "status", as: String.self),
                    country: try row.decode(column: "country", as: String.self),
                    leaf: try row.decode(column: "tally_leaf", as: Int64?.self).map { UInt64($0) },
                    revokedReason: try row.decode(column: "revoked_reason", as: String?.self),
                    committeeID: try row.decode(column: "committee_id", as: Int64?.self),
                    confirmedAt: try row.decode(column: "confirmed_at", as: Int64?.self),
                    channel: try row.decode(column: "channel", as: String.self)
                )
            }
        }
        try await tally.load(petitionIDs: rows.values.map(\.petitionID))

        var results: [(Int, Result<RevisionOutcome, StoreError>)] = []
        var statements: [SQLQueryString] = []
        var withdrawn: [Int64] = []
        for (position, revision) in requests {
            switch revision {
            case .withdraw(let id):
                guard let row = rows[id], row.counts else {
                    results.append((position, .success(.notCounted)))
                    continue
                }
                try revoke(row, reason: .withdrawn, day: day, nowMS: nowMS, rows: &rows, changes: &changes, tally: &tally)
                withdrawn.append(id)
                results.append((position, .success(.revised(entries: 1))))
            case .invalidate(let ids, let reason, let batch):
                if let problem = Self.problem(ids, rows, expected: "counted", where: \.counts) {
                    results.append((position, .failure(.invalidRequest(problem))))
                    continue
                }
                for id in ids {
                    guard let row = rows[id] else { continue }
                    try revoke(row, reason: .invalidated, day: day, nowMS: nowMS, rows: &rows, changes: &changes, tally: &tally)
                }
                for chunk in ids.chunked(500) {
                    statements.append(
                        """
                        UPDATE signatures SET revoked_at = \(bind: nowMS), revoked_reason = 'invalidated',
                            invalidation_note = \(bind: reason), invalidation_id = \(bind: batch)
                        WHERE id IN (\(binds: Array(chunk)))
                        """
                    )
                }
                results.append((position, .success(.revised(entries: ids.count))))
            case .undoInvalidation(let ids):
                if let problem = Self.problem(ids, rows, expected: "invalidated", where: { $0.revokedReason == "invalidated" }) {
                    results.append((position, .failure(.invalidRequest(problem))))
                    continue
                }
                for id in ids {
                    guard var row = rows[id], let leaf = row.leaf else { continue }
                    _ = try tally.append(
                        .reinstatement(TallyEntry.Reinstatement(day: day, leafIndex: leaf)), petitionID: row.petitionID, atMilliseconds: nowMS
                    )
                    changes.count(
                        1, petitionID: row.petitionID, channel: row.channel, country: row.country, committeeID: row.committeeID,
                        confirmedAt: row.confirmedAt ?? nowMS
                    )
                    row.revokedReason = nil
                    rows[id] = row
                }
                for chunk in ids.chunked(500) {
                    statements.append(
                        """
                        UPDATE signatures SET revoked_at = NULL, revoked_reason = NULL, invalidation_note = NULL,
                            invalidation_id = NULL
                        WHERE id IN (\(binds: Array(chunk)))
                        """
                    )
                }
                results.append((position, .success(.revised(entries: ids.count))))
            }
        }
        // Last: no later revision in the batch can touch a signature withdrawn in it.
        for chunk in withdrawn.chunked(500) {
            statements.append(
                """
                UPDATE signatures SET revoked_at = \(bind: nowMS), revoked_reason = 'withdrawn'
                WHERE id IN (\(binds: Array(chunk)))
                """
            )
        }
        for statement in statements {
            try await database.raw(statement).run()
        }
        return results
    }

    private func revoke(
        _ row: RevisableSignature,
        reason: TallyEntry.Reason,
        day: TallyDay,
        nowMS: Int64,
        rows: inout [Int64: RevisableSignature],
        changes: inout CounterChanges,
        tally: inout TallyAppender
    ) throws {
        guard let leaf = row.leaf else { return }
        _ = try tally.append(
            .revocation(TallyEntry.Revocation(reason: reason, day: day, leafIndex: leaf)), petitionID: row.petitionID, atMilliseconds: nowMS
        )
        changes.count(
            -1, petitionID: row.petitionID, channel: row.channel, country: row.country, committeeID: row.committeeID,
            confirmedAt: row.confirmedAt ?? nowMS
        )
        var revoked = row
        revoked.revokedReason = reason.name
        rows[row.id] = revoked
    }

    /// Names every signature of `ids` that is missing or not in the expected standing.
    private static func problem(
        _ ids: [Int64], _ rows: [Int64: RevisableSignature], expected: String, where fits: (RevisableSignature) -> Bool
    ) -> String? {
        let problems = ids.compactMap { id -> String? in
            guard let row = rows[id] else { return "no signature has id \(id)" }
            return fits(row) ? nil : "signature \(id) is \(row.standing), not \(expected)"
        }
        return problems.isEmpty ? nil : problems.joined(separator: "; ") + "; nothing was changed"
    }

    /// Appends to the tally log every confirmed signature that has no leaf yet (those confirmed
    /// before the log existed), in the order they were numbered, so that the log's count
    /// always equals the counters. Run once when the store opens, before the writer starts.
    func appendMissingLeaves() async throws -> Int {
        var total = 0
        while true {
            try await database.raw(SQLQueryString(engine.beginWriting)).run()
            do {
                let rows = try await database.raw(
                    """
                    SELECT id, petition_id, email_index, status, country, language, text_hash, personal_data, signer_number, confirmed_at
                    FROM signatures WHERE status = 'confirmed' AND tally_leaf IS NULL
                    ORDER BY petition_id, signer_number, id LIMIT 500
                    """
                ).all()
                guard !rows.isEmpty else {
                    try await database.raw("COMMIT").run()
                    return total
                }
                var tally = TallyAppender(database: database, engine: engine)
                try await tally.load(petitionIDs: try rows.map { try $0.decode(column: "petition_id", as: Int64.self) })
                var leaves: [(id: Int64, leaf: UInt64, sealedNonce: Data)] = []
                for row in rows {
                    let signature = PendingConfirmation(
                        id: try row.decode(column: "id", as: Int64.self),
                        petitionID: try row.decode(column: "petition_id", as: Int64.self),
                        emailIndex: try row.decode(column: "email_index", as: String.self),
                        status: "confirmed",
                        country: try row.decode(column: "country", as: String.self),
                        language: try row.decode(column: "language", as: String.self),
                        textHash: try row.decode(column: "text_hash", as: String.self),
                        personalData: try row.decode(column: "personal_data", as: Data.self),
                        expiresAt: nil,
                        number: try row.decode(column: "signer_number", as: Int?.self)
                    )
                    let confirmedAt = try row.decode(column: "confirmed_at", as: Int64?.self) ?? now().storedMilliseconds
                    let addition = try prepareAddition(signature, day: TallyDay(Date(storedMilliseconds: confirmedAt)))
                    let appended = try tally.append(.addition(addition.entry), petitionID: signature.petitionID, atMilliseconds: confirmedAt)
                    leaves.append((signature.id, appended.index, addition.sealedNonce))
                }
                try await tally.write()
                let leafCases = leaves.map { "WHEN \(bind: $0.id) THEN \(bind: Int64($0.leaf))" as SQLQueryString }
                let nonceCases = leaves.map { "WHEN \(bind: $0.id) THEN \(bind: $0.sealedNonce)" as SQLQueryString }
                try await database.raw(
                    "UPDATE signatures SET tally_leaf = CASE id " + leafCases.joined(separator: " ")
                        + " END, receipt_nonce = CASE id " + nonceCases.joined(separator: " ")
                        + " END WHERE id IN (\(binds: leaves.map(\.id)))"
                ).run()
                try await database.raw("COMMIT").run()
                total += leaves.count
            } catch {
                try? await database.raw("ROLLBACK").run()
                throw error
            }
        }
    }
}
