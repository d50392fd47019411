import Crypto
import Foundation
import SQLKit
import VigilCore

extension Store {
    private static let paperBatchColumns: SQLQueryString = """
        id, petition_id, committee_id, status, row_count, sheet_hash, collected_by, collected_on, received_by, received_on, note,
        submitted_by, submitted_at, reviewed_by, reviewed_at, review_note, counted, duplicates, erased_at
        """

    /// Stores a batch of paper signatures for review, sealed like every other piece of personal
    /// data, and says so in the audit log (`paper.submitted`).
    ///
    /// The sheet is checked whole: the first problem refuses the batch, naming its line and
    /// column (``PaperBatchProblem/Kind/sheet(_:)``), and nothing is written. Nothing counts until
    /// a second person accepts the batch with ``reviewPaperBatch(id:accept:note:audit:)``.
    public func submitPaperBatch(_ submission: PaperBatchSubmission, audit entry: AuditRecord) async throws -> PaperBatch {
        guard let submitter = entry.staffID else { throw StoreError.invalidRequest("a paper batch is submitted by a member of staff") }
        guard let petition = try await petition(id: submission.petitionID) else { throw StoreError.notFound("petition \(submission.petitionID)") }
        if let committeeID = submission.committeeID {
            guard let committee = try await committee(id: committeeID), committee.petitionID == petition.id else {
                throw PaperBatchProblem(.required, field: .committee)
            }
        }
        let openedOn = try await paperOpenedOn(petitionID: petition.id)
        let sheet: PaperSheet
        do {
            sheet = try PaperSheet(csv: submission.sheet, openedOn: openedOn, today: now())
        } catch {
            throw PaperBatchProblem(.sheet(error), field: .sheet)
        }
        try submission.custody.check(sheet)
        guard !submission.scans.isEmpty else { throw PaperBatchProblem(.noScans, field: .scans) }
        guard submission.scans.count <= PaperScan.maximumCount else {
            throw PaperBatchProblem(.tooManyScans(maximum: PaperScan.maximumCount), field: .scans)
        }
        let note = submission.note.map(SignatureForm.cleaned).flatMap { $0.isEmpty ? nil : $0 }
        if let note, note.count > 2000 { throw PaperBatchProblem(.tooLong(maximum: 2000), field: .note) }
        guard let text = try await currentText(petitionID: petition.id, language: petition.defaultLanguage) else {
            throw StoreError.notFound("the text of petition \(petition.slug) in \(petition.defaultLanguage.rawValue)")
        }

        let sealedSheet = Data(try cipher.seal(Array(submission.sheet)))
        let sheetHash = SHA256.hash(data: submission.sheet).hexString
        let sealedScans = try submission.scans.map { Data(try cipher.seal(Array($0.content))) }
        let nowMS = now().storedMilliseconds
        let custody = submission.custody
        let id = try await transaction { database in
            guard let row = try await database.raw(
                """
                INSERT INTO paper_batches (petition_id, committee_id, status, sheet, sheet_hash, row_count, language, text_hash,
                    collected_by, collected_on, received_by, received_on, note, submitted_by, submitted_at)
                VALUES (\(bind: petition.id), \(bind: submission.committeeID), 'submitted', \(bind: sealedSheet), \(bind: sheetHash),
                    \(bind: sheet.signatures.count), \(bind: petition.defaultLanguage.rawValue), \(bind: text.versionHash),
                    \(bind: custody.collectedBy), \(bind: TallyDay(custody.collectedOn).iso), \(bind: custody.receivedBy),
                    \(bind: TallyDay(custody.receivedOn).iso), \(bind: note), \(bind: submitter), \(bind: nowMS))
                RETURNING id
                """
            ).first() else { throw StoreError.corruptRow(table: "paper_batches", problem: "insert returned nothing") }
            let id = try row.decode(column: "id", as: Int64.self)
            for (position, (scan, sealed)) in zip(submission.scans, sealedScans).enumerated() {
                try await database.raw(
                    """
                    INSERT INTO paper_scans (batch_id, position, file_name, media_type, content, content_hash, byte_count)
                    VALUES (\(bind: id), \(bind: position + 1), \(bind: scan.fileName), \(bind: scan.mediaType.rawValue), \(bind: sealed),
                        \(bind: scan.contentHash), \(bind: scan.content.count))
                    """
                ).run()
            }
            var record = entry.about("paper:\(id)")
            record.action = "paper.submitted"
            record.details = [
                "petition": String(petition.id), "rows": String(sheet.signatures.count), "sheet_sha256": sheetHash,
                "scans": String(submission.scans.count),
            ]
            try await appendAudit(record, on: database)
            return id
        }
        guard let batch = try await paperBatch(id: id) else { throw StoreError.notFound("paper batch \(id)") }
        return batch
    }

    /// Accepts or rejects a submitted batch, as a person other than the one who submitted it.
    ///
    /// Accepting counts every row whose address has not signed the petition already, as a
    /// confirmed signature on paper: numbered, added to the tally log (channel `paper`), and
    /// credited to the batch's committee, in one transaction with the batch's new standing and
    /// its audit line (`paper.accepted`). Rows whose address has signed already are left out
    /// and counted as duplicates. Rejecting needs a reason and counts nothing (`paper.rejected`).
    public func reviewPaperBatch(id: Int64, accept: Bool, note: String, audit entry: AuditRecord) async throws -> PaperBatch {
        guard let reviewer = entry.staffID else { throw StoreError.invalidRequest("a paper batch is reviewed by a member of staff") }
        let reason = SignatureForm.cleaned(note)
        if !accept, reason.isEmpty { throw PaperBatchProblem(.rejectionWithoutReason, field: .note) }
        if reason.count > 2000 { throw PaperBatchProblem(.tooLong(maximum: 2000), field: .note) }
        let moment = now()
        let petitionID = try await transaction { database -> Int64 in
            guard let row = try await database.raw(
                """
                SELECT petition_id, committee_id, status, submitted_by, sheet, language, text_hash, erased_at
                FROM paper_batches WHERE id = \(bind: id)
                """
            ).first() else { throw StoreError.notFound("paper batch \(id)") }
            guard try row.decode(column: "erased_at", as: Int64?.self) == nil else {
                throw StoreError.conflict("paper batch \(id) was erased under the retention rule")
            }
            let petitionID = try row.decode(column: "petition_id", as: Int64.self)
            guard try row.decode(column: "status", as: String.self) == PaperBatch.Status.submitted.rawValue else {
                throw PaperBatchProblem(.alreadyReviewed, field: .note)
            }
            guard try row.decode(column: "submitted_by", as: Int64.self) != reviewer else {
                throw PaperBatchProblem(.reviewerIsSubmitter, field: .note)
            }
            var counted = 0
            var duplicates = 0
            if accept {
                let rows = try await paperRows(sealedSheet: try row.decode(column: "sheet", as: Data.self), petitionID: petitionID, on: database)
                (counted, duplicates) = try await count(
                    rows, batchID: id, petitionID: petitionID, committeeID: try row.decode(column: "committee_id", as: Int64?.self),
                    language: try row.decode(column: "language", as: String.self),
                    textHash: try row.decode(column: "text_hash", as: String.self), at: moment, on: database
                )
            }
            try await database.raw(
                """
                UPDATE paper_batches SET status = \(bind: accept ? "accepted" : "rejected"), reviewed_by = \(bind: reviewer),
                    reviewed_at = \(bind: moment.storedMilliseconds), review_note = \(bind: reason.isEmpty ? String?.none : reason),
                    counted = \(bind: accept ? counted : Int?.none), duplicates = \(bind: accept ? duplicates : Int?.none)
                WHERE id = \(bind: id)
                """
            ).run()
            var record = entry.about("paper:\(id)")
            record.action = accept ? "paper.accepted" : "paper.rejected"
            record.details = accept ? ["counted": String(counted), "duplicates": String(duplicates)] : ["reason": reason]
            try await appendAudit(record, on: database)
            return petitionID
        }
        try await refreshLiveCounts(petitionID: petitionID)
        guard let batch = try await paperBatch(id: id) else { throw StoreError.notFound("paper batch \(id)") }
        return batch
    }

    /// Writes the rows of an accepted batch that are not duplicates as confirmed signatures,
    /// with their log entries and counters, and returns how many counted and how many did not.
    private func count(
        _ rows: [PaperRow], batchID: Int64, petitionID: Int64, committeeID: Int64?, language: String, textHash: String, at moment: Date,
        on database: any SQLDatabase
    ) async throws -> (counted: Int, duplicates: Int) {
        let atMS = moment.storedMilliseconds
        var tally = TallyAppender(database: database, engine: engine)
        try await tally.load(petitionIDs: [petitionID])
        var changes = SignatureWriter.CounterChanges()
        var values: [SQLQueryString] = []
        for row in rows where !row.isDuplicate {
            let signature = row.signature
            let email = signature.email
            let emailIndex = email.map { cipher.blindIndex(ofNormalisedEmail: $0.normalised) } ?? "paper:\(batchID):\(signature.line)"
            let sealed = Data(
                try cipher.seal(json: SignerDetails(name: signature.name, email: email?.address ?? "", city: signature.city))
            )
            let addition = try signatureWriter.prepareAddition(
                PendingConfirmation(
                    id: Int64(signature.line), petitionID: petitionID, emailIndex: emailIndex, status: "pending", country: signature.country.code,
                    language: language, textHash: textHash, personalData: sealed, expiresAt: nil, number: nil, channel: .paper
                ),
                day: TallyDay(moment)
            )
            let signerNumber = Int(tally.additions(petitionID: petitionID)) + 1
            let leaf = try tally.append(.addition(addition.entry), petitionID: petitionID, atMilliseconds: atMS)
            changes.count(1, petitionID: petitionID, channel: "paper", country: signature.country.code, committeeID: committeeID, confirmedAt: atMS)
            // An address on paper can manage its signature like any other, once it asks for a link.
            let manageHash = email.map { _ in PersonalDataCipher.hash(manageToken: cipher.manageToken(petitionID: petitionID, emailIndex: emailIndex)) }
            values.append(
                """
                (\(bind: petitionID), \(bind: emailIndex), \(bind: sealed), \(bind: signature.country.code), \(bind: language),
                 \(bind: textHash), FALSE, FALSE, 'confirmed', \(bind: signerNumber), \(bind: atMS), \(bind: atMS), 'none', 'none',
                 \(bind: manageHash), \(bind: email.map { cipher.domainIndex(of: $0.domain) }), \(bind: Int64(leaf.index)),
                 \(bind: addition.sealedNonce), \(bind: committeeID), 'paper', \(bind: batchID))
                """
            )
        }
        try await tally.write()
        for chunk in values.chunked(1000) {
            try await database.raw(
                """
                INSERT INTO signatures (petition_id, email_index, personal_data, country, language, text_hash, show_name_publicly,
                    keep_informed, status, signer_number, created_at, confirmed_at, name_moderation, comment_moderation,
                    manage_token_hash, email_domain_hash, tally_leaf, receipt_nonce, committee_id, channel, paper_batch_id)
                VALUES
                """ + chunk.joined(separator: ", ")
            ).run()
        }
        try await changes.apply(on: database)
        return (values.count, rows.count - values.count)
    }

    /// The batches of a petition, or of one committee, newest first.
    public func paperBatches(petitionID: Int64? = nil, committeeID: Int64? = nil) async throws -> [PaperBatch] {
        var conditions: [SQLQueryString] = []
        if let petitionID { conditions.append("petition_id = \(bind: petitionID)") }
        if let committeeID { conditions.append("committee_id = \(bind: committeeID)") }
        let filter: SQLQueryString = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let rows = try await reader.raw("SELECT " + Self.paperBatchColumns + " FROM paper_batches" + filter + " ORDER BY id DESC").all()
        let scans = try await paperScans(batchIDs: try rows.map { try $0.decode(column: "id", as: Int64.self) })
        return try rows.map { try paperBatch($0, scans: scans) }
    }

    /// The batch with this id, or `nil`.
    public func paperBatch(id: Int64) async throws -> PaperBatch? {
        guard let row = try await reader.raw("SELECT " + Self.paperBatchColumns + " FROM paper_batches WHERE id = \(bind: id)").first() else {
            return nil
        }
        return try paperBatch(row, scans: try await paperScans(batchIDs: [id]))
    }

    /// The rows of a batch's sheet, each flagged if its address has signed the petition already.
    /// Once a batch is accepted its own rows are signatures; they are not flagged as duplicates
    /// of themselves. None once the retention rule erased the sheet.
    public func paperRows(batchID: Int64) async throws -> [PaperRow] {
        guard let row = try await reader.raw(
            "SELECT petition_id, sheet, erased_at FROM paper_batches WHERE id = \(bind: batchID)"
        ).first() else {
            throw StoreError.notFound("paper batch \(batchID)")
        }
        if try row.decode(column: "erased_at", as: Int64?.self) != nil { return [] }
        return try await paperRows(
            sealedSheet: try row.decode(column: "sheet", as: Data.self), petitionID: try row.decode(column: "petition_id", as: Int64.self),
            excludingBatch: batchID, on: reader
        )
    }

    /// The content of one scan of a batch, or `nil`, also once the retention rule erased it.
    public func paperScan(batchID: Int64, position: Int) async throws -> (scan: PaperBatch.Scan, content: Data)? {
        guard let row = try await reader.raw(
            """
            SELECT s.position, s.file_name, s.media_type, s.content, s.content_hash, s.byte_count
            FROM paper_scans AS s JOIN paper_batches AS b ON b.id = s.batch_id
            WHERE s.batch_id = \(bind: batchID) AND s.position = \(bind: position) AND b.erased_at IS NULL
            """
        ).first() else { return nil }
        return (try Self.scan(row), Data(try cipher.open(Array(try row.decode(column: "content", as: Data.self)))))
    }

    /// The first day a paper signature of the petition may carry: the day it was created here,
    /// or the day of an earlier count of it elsewhere, since sheets may have circulated before.
    private func paperOpenedOn(petitionID: Int64) async throws -> Date {
        let row = try await reader.raw(
            """
            SELECT (SELECT created_at FROM petitions WHERE id = \(bind: petitionID)) AS created_at,
                (SELECT MIN(counted_on) FROM external_tallies WHERE petition_id = \(bind: petitionID)) AS counted_on
            """
        ).first()
        let created = try row?.decode(column: "created_at", as: Int64?.self) ?? 0
        let counted = try row?.decode(column: "counted_on", as: Int64?.self) ?? created
        return Date(storedMilliseconds: min(created, counted))
    }

    private func paperRows(
        sealedSheet: Data, petitionID: Int64, excludingBatch batchID: Int64? = nil, on database: any SQLDatabase
    ) async throws -> [PaperRow] {
        let csv = Data(try cipher.open(Array(sealedSheet)))
        // Checked against the petition's dates when it was submitted; read back as it was then.
        let sheet: PaperSheet
        do {
            sheet = try PaperSheet(csv: csv, openedOn: .distantPast, today: .distantFuture)
        } catch {
            throw StoreError.corruptRow(table: "paper_batches", problem: "a stored sheet no longer reads: \(error)")
        }
        let indexes = sheet.signatures.compactMap { $0.email.map { cipher.blindIndex(ofNormalisedEmail: $0.normalised) } }
        var signed: Set<String> = []
        for chunk in Array(Set(indexes)).chunked(500) {
            let own: SQLQueryString = batchID.map { " AND (paper_batch_id IS NULL OR paper_batch_id <> \(bind: $0))" } ?? ""
            for row in try await database.raw(
                "SELECT email_index FROM signatures WHERE petition_id = \(bind: petitionID) AND email_index IN (\(binds: Array(chunk)))" + own
            ).all() {
                signed.insert(try row.decode(column: "email_index", as: String.self))
            }
        }
        return sheet.signatures.map { signature in
            let index = signature.email.map { cipher.blindIndex(ofNormalisedEmail: $0.normalised) }
            return PaperRow(signature: signature, isDuplicate: index.map(signed.contains) ?? false)
        }
    }

    private func paperScans(batchIDs: [Int64]) async throws -> [Int64: [PaperBatch.Scan]] {
        guard !batchIDs.isEmpty else { return [:] }
        var scans: [Int64: [PaperBatch.Scan]] = [:]
        for chunk in batchIDs.chunked(500) {
            for row in try await reader.raw(
                """
                SELECT batch_id, position, file_name, media_type, content_hash, byte_count FROM paper_scans
                WHERE batch_id IN (\(binds: Array(chunk))) ORDER BY batch_id, position
                """
            ).all() {
                scans[try row.decode(column: "batch_id", as: Int64.self), default: []].append(try Self.scan(row))
            }
        }
        return scans
    }

    private static func scan(_ row: any SQLRow) throws -> PaperBatch.Scan {
        let type = try row.decode(column: "media_type", as: String.self)
        guard let mediaType = PaperScan.MediaType(rawValue: type) else {
            throw StoreError.corruptRow(table: "paper_scans", problem: "media type '\(type)'")
        }
        return PaperBatch.Scan(
            position: try row.decode(column: "position", as: Int.self),
            fileName: try row.decode(column: "file_name", as: String.self),
            mediaType: mediaType,
            byteCount: try row.decode(column: "byte_count", as: Int.self),
            contentHash: try row.decode(column: "content_hash", as: String.self)
        )
    }

    private func paperBatch(_ row: any SQLRow, scans: [Int64: [PaperBatch.Scan]]) throws -> PaperBatch {
        let id = try row.decode(column: "id", as: Int64.self)
        let statusText = try row.decode(column: "status", as: String.self)
        guard let status = PaperBatch.Status(rawValue: statusText) else {
            throw StoreError.corruptRow(table: "paper_batches", problem: "status '\(statusText)'")
        }
        func day(_ column: String) throws -> Date {
            let text = try row.decode(column: column, as: String.self)
            guard let day = Date(day: text) else { throw StoreError.corruptRow(table: "paper_batches", problem: "\(column) '\(text)'") }
            return day
        }
        return PaperBatch(
            id: id,
            petitionID: try row.decode(column: "petition_id", as: Int64.self),
            committeeID: try row.decode(column: "committee_id", as: Int64?.self),
            status: status,
            rowCount: try row.decode(column: "row_count", as: Int.self),
            sheetHash: try row.decode(column: "sheet_hash", as: String.self),
            custody: PaperCustody(
                collectedBy: try row.decode(column: "collected_by", as: String.self), collectedOn: try day("collected_on"),
                receivedBy: try row.decode(column: "received_by", as: String.self), receivedOn: try day("received_on")
            ),
            note: try row.decode(column: "note", as: String?.self),
            submittedBy: try row.decode(column: "submitted_by", as: Int64.self),
            submittedAt: Date(storedMilliseconds: try row.decode(column: "submitted_at", as: Int64.self)),
            reviewedBy: try row.decode(column: "reviewed_by", as: Int64?.self),
            reviewedAt: try row.decode(column: "reviewed_at", as: Int64?.self).map(Date.init(storedMilliseconds:)),
            reviewNote: try row.decode(column: "review_note", as: String?.self),
            counted: try row.decode(column: "counted", as: Int?.self),
            duplicates: try row.decode(column: "duplicates", as: Int?.self),
            scans: scans[id] ?? [],
            erasedAt: try row.decode(column: "erased_at", as: Int64?.self).map(Date.init(storedMilliseconds:))
        )
    }
}
