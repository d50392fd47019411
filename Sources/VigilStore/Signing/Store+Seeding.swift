import Foundation
import SQLKit
import VigilCore

/// What ``Store/seedConfirmedSignatures(_:petitionSlug:over:committees:batchSize:progress:)`` wrote.
public struct SeedReport: Sendable, Equatable {
    /// Signatures added by this seeding.
    public let added: Int
    /// The petition's confirmed count afterwards.
    public let confirmed: Int
    /// The size of the petition's tally log afterwards.
    public let logSize: UInt64
}

extension Store {
    /// Adds `count` made-up confirmed signatures (``SyntheticSigners``) to a petition, for
    /// benchmarks at the scale of a large campaign.
    ///
    /// Each one is written as a confirmed signature is: personal data sealed, blind indexes,
    /// a signer number, an addition to the tally log with its sealed receipt nonce, and the
    /// counters. Their confirmation times are spread evenly over the `days` before now, in
    /// signer-number order. Two in five are credited to the given committees in turn, as if
    /// they came through their referral links. No e-mail is queued. Each batch is one transaction, so an
    /// interrupted seeding leaves whole batches; seeding again continues the numbering.
    ///
    /// Throws ``StoreError/invalidRequest(_:)`` for a count below 1 or a day count below 1, and
    /// ``StoreError/notFound(_:)`` for an unknown petition, in each case before writing anything.
    public func seedConfirmedSignatures(
        _ count: Int,
        petitionSlug: String,
        over days: Int = 60,
        committees committeeIDs: [Int64] = [],
        batchSize: Int = 5000,
        progress: @Sendable (Int) -> Void = { _ in }
    ) async throws -> SeedReport {
        guard count >= 1 else { throw StoreError.invalidRequest("the number of signatures must be at least 1, not \(count)") }
        guard days >= 1 else { throw StoreError.invalidRequest("the number of days must be at least 1, not \(days)") }
        guard let petition = try await petition(slug: petitionSlug) else { throw StoreError.notFound(petitionSlug) }
        var textHashes: [Language: String] = [:]
        for language in petition.languages {
            textHashes[language] = try await currentText(petitionID: petition.id, language: language)?.versionHash
        }
        // Numbers already used give the first new signer, so seeding twice never repeats an address.
        let first = try await signatureCount(where: "petition_id = \(bind: petition.id)")
        let end = now()
        let start = end.addingTimeInterval(-Double(days) * 86_400)
        let signers = SyntheticSigners()

        var written = 0
        while written < count {
            let numbers = (first + written)..<(first + min(count, written + batchSize))
            try await transaction { database in
                try await self.seed(
                    numbers, of: signers, petition: petition, textHashes: textHashes, committeeIDs: committeeIDs,
                    confirmedAt: { number in
                        let share = Double(number - first + 1) / Double(count)
                        return start.addingTimeInterval(end.timeIntervalSince(start) * share)
                    },
                    on: database
                )
            }
            written += numbers.count
            progress(written)
        }
        try await refreshLiveCounts()
        let counts = try await storedCounts(petitionID: petition.id)
        return SeedReport(added: written, confirmed: counts.confirmed, logSize: try await tallySize(petitionID: petition.id))
    }

    /// Writes one batch of made-up signatures, with their log entries and counters.
    private func seed(
        _ numbers: Range<Int>,
        of signers: SyntheticSigners,
        petition: Petition,
        textHashes: [Language: String],
        committeeIDs: [Int64],
        confirmedAt: (Int) -> Date,
        on database: any SQLDatabase
    ) async throws {
        var tally = TallyAppender(database: database, engine: engine)
        try await tally.load(petitionIDs: [petition.id])
        var changes = SignatureWriter.CounterChanges()
        var rows: [SQLQueryString] = []
        for number in numbers {
            let (form, chosenLanguage) = signers.signer(number)
            let signature: ValidSignature
            do {
                signature = try form.validated().get()
            } catch {
                throw StoreError.invalidRequest("made-up signer \(number) does not pass the sign form's checks: \(error)")
            }
            let language = textHashes[chosenLanguage] == nil ? petition.defaultLanguage : chosenLanguage
            guard let textHash = textHashes[language] else {
                throw StoreError.notFound("a text of petition \(petition.slug) in \(language.rawValue)")
            }
            let moment = confirmedAt(number)
            let atMS = moment.storedMilliseconds
            let emailIndex = cipher.blindIndex(ofNormalisedEmail: signature.email.normalised)
            let sealed = Data(try cipher.seal(json: SignerDetails(name: signature.name, email: signature.email.address, city: signature.city)))
            let signerNumber = Int(tally.additions(petitionID: petition.id)) + 1
            let addition = try signatureWriter.prepareAddition(
                PendingConfirmation(
                    id: Int64(number), petitionID: petition.id, emailIndex: emailIndex, status: "pending", country: signature.country.code,
                    language: language.rawValue, textHash: textHash, personalData: sealed, expiresAt: nil, number: nil
                ),
                day: TallyDay(moment)
            )
            let leaf = try tally.append(.addition(addition.entry), petitionID: petition.id, atMilliseconds: atMS)
            let committeeID = committeeIDs.isEmpty || number % 5 >= 2 ? nil : committeeIDs[(number / 5) % committeeIDs.count]
            changes.count(
                1, petitionID: petition.id, channel: "online", country: signature.country.code, committeeID: committeeID, confirmedAt: atMS
            )
            // Public names stand for names staff have already looked at, as on a campaign's later days.
            let nameModeration = signature.showNamePublicly ? "approved" : "none"
            rows.append(
                """
                (\(bind: petition.id), \(bind: emailIndex), \(bind: sealed), \(bind: signature.country.code),
                 \(bind: language.rawValue), \(bind: textHash), \(bind: signature.showNamePublicly), \(bind: signature.keepInformed),
                 'confirmed', \(bind: signerNumber), \(bind: atMS), \(bind: atMS), \(bind: atMS), \(bind: nameModeration), 'none',
                 \(bind: PersonalDataCipher.hash(manageToken: cipher.manageToken(petitionID: petition.id, emailIndex: emailIndex))),
                 \(bind: cipher.domainIndex(of: signature.email.domain)), \(bind: Int64(leaf.index)), \(bind: addition.sealedNonce),
                 \(bind: committeeID))
                """
            )
        }
        try await tally.write()
        // 20 values a row: 1,000 rows stay well under SQLite's limit on bound values.
        for chunk in rows.chunked(1000) {
            try await database.raw(
                """
                INSERT INTO signatures (petition_id, email_index, personal_data, country, language, text_hash,
                    show_name_publicly, keep_informed, status, signer_number, created_at, confirmed_at, last_mailed_at,
                    name_moderation, comment_moderation, manage_token_hash, email_domain_hash, tally_leaf, receipt_nonce, committee_id)
                VALUES
                """ + chunk.joined(separator: ", ")
            ).run()
        }
        try await changes.apply(on: database)
    }
}
