import Foundation
import SQLKit
import VigilCore

/// What a privacy run changed.
public struct PurgeReport: Sendable, Equatable {
    /// Signatures whose name, address, city and comment were erased.
    public var erasedSignatures = 0
    /// Signatures whose client-address or network hash was dropped.
    public var forgottenClientHashes = 0
    /// Paper batches whose typed sheet and scans were erased.
    public var erasedPaperBatches = 0

    public init(erasedSignatures: Int = 0, forgottenClientHashes: Int = 0, erasedPaperBatches: Int = 0) {
        self.erasedSignatures = erasedSignatures
        self.forgottenClientHashes = forgottenClientHashes
        self.erasedPaperBatches = erasedPaperBatches
    }
}

extension Store {
    /// Erases a signature's personal data: name, address, city and comment are replaced by
    /// nothing, the address's blind index and domain hash are released, its e-mails leave the
    /// outbox (those still waiting are never sent), and no more e-mail will reach it. The
    /// receipt's nonce goes too: with it and a guessed address, anyone holding the database and
    /// its key could tell that the address signed. The signature keeps counting, with its
    /// country and date, and its entry stays in the tally log.
    public func erasePersonalData(signatureID: Int64, audit entry: AuditRecord? = nil) async throws {
        let empty = Data(try cipher.seal(json: SignerDetails(name: "", email: "", city: nil, comment: nil)))
        try await transaction { database in
            try await eraseRows(where: "id = \(bind: signatureID)", sealedEmpty: empty, on: database)
            if let entry { try await appendAudit(entry.about("signature:\(signatureID)"), on: database) }
        }
    }

    private func eraseRows(where condition: SQLQueryString, sealedEmpty: Data, on database: any SQLDatabase) async throws {
        // Their e-mails go first, sent or not, while the rows still have their blind indexes: an
        // update queued before must not reach someone who asked to be forgotten, and the outbox
        // must not keep their sealed address. Reads the outbox once; erasing is rare.
        try await database.raw(
            """
            DELETE FROM outbox WHERE (petition_id, email_index) IN (
                SELECT petition_id, email_index FROM signatures WHERE erased_at IS NULL AND
            """ + " " + condition + ")"
        ).run()
        // The blind index must stay unique per petition: an erased signature takes one no address can produce.
        try await database.raw(
            """
            UPDATE signatures SET personal_data = \(bind: sealedEmpty), email_index = 'erased:' || CAST(id AS TEXT),
                keep_informed = FALSE, show_name_publicly = FALSE, name_moderation = 'none', comment_moderation = 'none',
                client_hash = NULL, network_hash = NULL, email_domain_hash = NULL, manage_token_hash = NULL,
                receipt_nonce = NULL, erased_at = \(bind: now().storedMilliseconds)
            WHERE erased_at IS NULL AND
            """ + " " + condition
        ).run()
    }

    /// The retention rule: erases the personal data of signatures on petitions closed or
    /// delivered more than `days` ago, with the typed sheets and scans of their paper batches,
    /// and drops the client-address and network hashes of signatures older than
    /// `clientHashDays`. Counts, countries, the tally and the paper's hashes and custody stay.
    public func purgePersonalData(days: Int, clientHashDays: Int, actor: String) async throws -> PurgeReport {
        let nowMS = now().storedMilliseconds
        let cutoff = nowMS - Int64(days) * 86_400_000
        let clientCutoff = nowMS - Int64(clientHashDays) * 86_400_000
        let empty = Data(try cipher.seal(json: SignerDetails(name: "", email: "", city: nil, comment: nil)))
        // An erased sheet or scan holds nothing, sealed like the rest, so key rotation still opens it.
        let emptyFile = Data(try cipher.seal([]))
        return try await transaction { database in
            var report = PurgeReport()
            report.erasedSignatures = try await database.raw(
                """
                SELECT COUNT(*) AS n FROM signatures AS s JOIN petitions AS p ON p.id = s.petition_id
                WHERE s.erased_at IS NULL AND p.state IN ('closed', 'delivered') AND p.state_changed_at < \(bind: cutoff)
                """
            ).first()?.decode(column: "n", as: Int.self) ?? 0
            try await eraseRows(
                where: """
                    petition_id IN (SELECT id FROM petitions WHERE state IN ('closed', 'delivered')
                    AND state_changed_at < \(bind: cutoff))
                    """,
                sealedEmpty: empty,
                on: database
            )
            let paperDue: SQLQueryString = """
                erased_at IS NULL AND petition_id IN (SELECT id FROM petitions WHERE state IN ('closed', 'delivered')
                AND state_changed_at < \(bind: cutoff))
                """
            try await database.raw(
                "UPDATE paper_scans SET content = \(bind: emptyFile) WHERE batch_id IN (SELECT id FROM paper_batches WHERE " + paperDue + ")"
            ).run()
            report.erasedPaperBatches = try await database.raw(
                "UPDATE paper_batches SET sheet = \(bind: emptyFile), erased_at = \(bind: nowMS) WHERE " + paperDue + " RETURNING id"
            ).all().count
            let clientHashed: SQLQueryString =
                "(client_hash IS NOT NULL OR network_hash IS NOT NULL) AND created_at < \(bind: clientCutoff)"
            report.forgottenClientHashes = try await database.raw("SELECT COUNT(*) AS n FROM signatures WHERE " + clientHashed)
                .first()?.decode(column: "n", as: Int.self) ?? 0
            try await database.raw("UPDATE signatures SET client_hash = NULL, network_hash = NULL WHERE " + clientHashed).run()
            if report != PurgeReport() {
                try await appendAudit(
                    AuditRecord(
                        staffID: nil, actor: actor, action: "privacy.purged",
                        details: [
                            "erased": String(report.erasedSignatures), "client_hashes": String(report.forgottenClientHashes),
                            "paper_batches": String(report.erasedPaperBatches),
                        ]
                    ),
                    on: database
                )
            }
            return report
        }
    }

    /// Seals everything again under a new master key, in one transaction: personal data, the
    /// outbox, receipt nonces, second-factor secrets, paper sheets and their scans; recomputes
    /// blind indexes, domain hashes and link hashes; drops client and network hashes, which
    /// cannot be recomputed. Records the new key's id, so the server will not start with the old
    /// key file by mistake.
    public func reseal(with newCipher: PersonalDataCipher, actor: String) async throws -> Int {
        try await transaction { database in
            var count = 0
            var after: Int64 = 0
            while true {
                let rows = try await database.raw(
                    """
                    SELECT id, petition_id, personal_data, erased_at, receipt_nonce FROM signatures
                    WHERE id > \(bind: after) ORDER BY id LIMIT 500
                    """
                ).all()
                guard let last = rows.last else { break }
                after = try last.decode(column: "id", as: Int64.self)
                for row in rows {
                    let id = try row.decode(column: "id", as: Int64.self)
                    let petitionID = try row.decode(column: "petition_id", as: Int64.self)
                    let details = try cipher.open(json: SignerDetails.self, from: Array(try row.decode(column: "personal_data", as: Data.self)))
                    let sealed = Data(try newCipher.seal(json: details))
                    let nonce = try row.decode(column: "receipt_nonce", as: Data?.self)
                        .map { Data(try newCipher.seal(try cipher.open(Array($0)))) }
                    if try row.decode(column: "erased_at", as: Int64?.self) != nil {
                        try await database.raw(
                            "UPDATE signatures SET personal_data = \(bind: sealed), receipt_nonce = \(bind: nonce) WHERE id = \(bind: id)"
                        ).run()
                    } else {
                        let email = try EmailAddress(details.email)
                        let index = newCipher.blindIndex(ofNormalisedEmail: email.normalised)
                        let manage = PersonalDataCipher.hash(manageToken: newCipher.manageToken(petitionID: petitionID, emailIndex: index))
                        try await database.raw(
                            """
                            UPDATE signatures SET personal_data = \(bind: sealed), email_index = \(bind: index),
                                manage_token_hash = \(bind: manage), email_domain_hash = \(bind: newCipher.domainIndex(of: email.domain)),
                                receipt_nonce = \(bind: nonce), client_hash = NULL, network_hash = NULL
                            WHERE id = \(bind: id)
                            """
                        ).run()
                    }
                    count += 1
                }
            }
            for row in try await database.raw("SELECT id, recipient, payload FROM outbox").all() {
                let id = try row.decode(column: "id", as: Int64.self)
                let recipient = Data(try newCipher.seal(try cipher.open(Array(try row.decode(column: "recipient", as: Data.self)))))
                let payload = try row.decode(column: "payload", as: Data?.self).map { Data(try newCipher.seal(try cipher.open(Array($0)))) }
                try await database.raw(
                    "UPDATE outbox SET recipient = \(bind: recipient), payload = \(bind: payload) WHERE id = \(bind: id)"
                ).run()
            }
            for row in try await database.raw("SELECT id, totp_secret FROM staff WHERE totp_secret IS NOT NULL").all() {
                let id = try row.decode(column: "id", as: Int64.self)
                let secret = Data(try newCipher.seal(try cipher.open(Array(try row.decode(column: "totp_secret", as: Data.self)))))
                try await database.raw("UPDATE staff SET totp_secret = \(bind: secret) WHERE id = \(bind: id)").run()
            }
            try await reseal("sheet", of: "paper_batches", rowsAtOnce: 50, to: newCipher, on: database)
            // A scan may run to megabytes: one at a time.
            try await reseal("content", of: "paper_scans", rowsAtOnce: 1, to: newCipher, on: database)
            try await Self.recordKeyID(newCipher.keyID, on: database)
            try await appendAudit(
                AuditRecord(staffID: nil, actor: actor, action: "keys.rotated", details: ["signatures": String(count)]),
                on: database
            )
            return count
        }
    }

    /// Seals every value of a column again, `rowsAtOnce` rows at a time in the order of their ids,
    /// so that large sealed files are never all in memory together.
    private func reseal(
        _ column: String, of table: String, rowsAtOnce: Int, to newCipher: PersonalDataCipher, on database: any SQLDatabase
    ) async throws {
        var after: Int64 = 0
        while true {
            let rows = try await database.raw(
                "SELECT id, \(ident: column) AS sealed FROM \(ident: table) WHERE id > \(bind: after) ORDER BY id LIMIT \(bind: rowsAtOnce)"
            ).all()
            guard let last = rows.last else { return }
            after = try last.decode(column: "id", as: Int64.self)
            for row in rows {
                let sealed = Data(try newCipher.seal(try cipher.open(Array(try row.decode(column: "sealed", as: Data.self)))))
                try await database.raw(
                    "UPDATE \(ident: table) SET \(ident: column) = \(bind: sealed) WHERE id = \(bind: try row.decode(column: "id", as: Int64.self))"
                ).run()
            }
        }
    }

    /// Stores which master key the database is sealed with.
    static func recordKeyID(_ keyID: String, on database: any SQLDatabase) async throws {
        try await database.raw(
            """
            INSERT INTO instance_settings (key, value) VALUES ('master_key_id', \(bind: keyID))
            ON CONFLICT (key) DO UPDATE SET value = excluded.value
            """
        ).run()
    }

    /// The id of the master key the database is sealed with, if recorded.
    static func recordedKeyID(on database: any SQLDatabase) async throws -> String? {
        try await database.raw("SELECT value FROM instance_settings WHERE key = 'master_key_id'").first()?
            .decode(column: "value", as: String.self)
    }
}
