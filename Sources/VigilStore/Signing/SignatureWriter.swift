import CoreMetrics
import Foundation
import Logging
import SQLKit
import ServiceLifecycle
import VigilCore

/// The one writer of signatures. Concurrent sign and confirm requests are queued and written
/// together in a single transaction (group commit); each caller is answered only after that
/// transaction has committed, so an acknowledged signature survives a crash.
///
/// A batch is whatever arrived while the previous batch was being committed, up to
/// ``SigningSettings/maximumBatchSize`` requests: under light load a request is written at
/// once, under heavy load one commit (and one fsync) serves hundreds.
public final class SignatureWriter: Service, Sendable {
    let database: any SQLDatabase
    let engine: DatabaseEngine
    /// Taken around each transaction.
    private let writeTurns: WriteTurns
    let cipher: PersonalDataCipher
    private let settings: SigningSettings
    let random: any RandomSource
    private let liveCounts: LiveCounts
    /// On PostgreSQL, told how many signatures each commit added, to keep the planner's view current.
    private let statistics: PlannerStatistics?
    let now: @Sendable () -> Date
    private let logger: Logger
    private let queue = Locked(Queue())
    /// Called after each commit that put e-mail in the outbox, so the mail worker can start at once.
    private let announceMail: @Sendable () -> Void
    /// Requests per committed batch, made once so that a commit only records a number.
    private let batchSizes: Recorder

    /// The name of the batch-size histogram, for a metrics backend that sets its buckets.
    public static let batchSizeMetric = "vigil_signature_batch_size"

    enum Job: Sendable {
        case sign(SealedSigning, CheckedContinuation<SigningOutcome, any Error>)
        case confirm(ConfirmationToken, CheckedContinuation<ConfirmationOutcome, any Error>)
        case revise(SignatureRevision, CheckedContinuation<RevisionOutcome, any Error>)

        func fail(_ error: any Error) {
            switch self {
            case .sign(_, let continuation): continuation.resume(throwing: error)
            case .confirm(_, let continuation): continuation.resume(throwing: error)
            case .revise(_, let continuation): continuation.resume(throwing: error)
            }
        }
    }

    struct Queue {
        var jobs: [Job] = []
        var accepting = true
        var waiter: CheckedContinuation<Void, Never>?
    }

    init(
        database: any SQLDatabase,
        engine: DatabaseEngine,
        writeTurns: WriteTurns,
        cipher: PersonalDataCipher,
        settings: SigningSettings,
        random: some RandomSource,
        liveCounts: LiveCounts,
        statistics: PlannerStatistics?,
        announceMail: @escaping @Sendable () -> Void,
        now: @escaping @Sendable () -> Date,
        metrics: any MetricsFactory,
        logger: Logger
    ) {
        self.database = database
        self.engine = engine
        self.writeTurns = writeTurns
        self.cipher = cipher
        self.settings = settings
        self.random = random
        self.liveCounts = liveCounts
        self.statistics = statistics
        self.now = now
        self.logger = logger
        self.announceMail = announceMail
        batchSizes = Recorder(label: Self.batchSizeMetric, dimensions: [], aggregate: true, factory: metrics)
    }

    // MARK: Requests

    /// Writes a signature (or re-sends its e-mail) and returns once that is committed.
    public func sign(_ request: SigningRequest) async throws -> SigningOutcome {
        // Sealed on the caller's task: requests are encrypted and hashed side by side, and the
        // writer's transaction, which every request waits for, does only the database's part.
        let sealed = try SealedSigning(request, settings: settings, cipher: cipher, random: random, now: now())
        return try await withCheckedThrowingContinuation { continuation in
            enqueue(.sign(sealed, continuation))
        }
    }

    /// Confirms the signature a link belongs to and returns once that is committed.
    public func confirm(_ token: ConfirmationToken) async throws -> ConfirmationOutcome {
        try await withCheckedThrowingContinuation { continuation in
            enqueue(.confirm(token, continuation))
        }
    }

    /// Withdraws, invalidates or reinstates counted signatures and returns once that is committed.
    ///
    /// A revision that names a signature it cannot apply to throws ``StoreError/invalidRequest(_:)``
    /// and changes nothing; a withdrawal of a signature that does not count returns
    /// ``RevisionOutcome/notCounted``.
    public func revise(_ revision: SignatureRevision) async throws -> RevisionOutcome {
        let checked = try revision.checked()
        return try await withCheckedThrowingContinuation { continuation in
            enqueue(.revise(checked, continuation))
        }
    }

    private func enqueue(_ job: Job) {
        let (accepted, waiter) = queue.withLock { queue -> (Bool, CheckedContinuation<Void, Never>?) in
            guard queue.accepting else { return (false, nil) }
            queue.jobs.append(job)
            defer { queue.waiter = nil }
            return (true, queue.waiter)
        }
        guard accepted else {
            job.fail(StoreError.shuttingDown)
            return
        }
        waiter?.resume()
    }

    // MARK: Running

    /// Writes batches until graceful shutdown, then finishes what was queued and returns.
    public func run() async throws {
        await withGracefulShutdownHandler {
            while let batch = await self.nextBatch() {
                await self.commit(batch)
            }
        } onGracefulShutdown: {
            self.stopAccepting()
        }
        // Only reached on cancellation: nothing may wait forever.
        let leftover = queue.withLock { queue in
            defer { queue.jobs.removeAll() }
            queue.accepting = false
            return queue.jobs
        }
        for job in leftover { job.fail(StoreError.shuttingDown) }
    }

    /// Stops taking requests; those already queued are still written.
    public func stopAccepting() {
        let waiter = queue.withLock { queue in
            queue.accepting = false
            defer { queue.waiter = nil }
            return queue.waiter
        }
        waiter?.resume()
    }

    /// The next batch, or `nil` when the writer has stopped and the queue is empty.
    private func nextBatch() async -> [Job]? {
        while !Task.isCancelled {
            let taken = queue.withLock { queue -> [Job]? in
                if !queue.jobs.isEmpty {
                    let count = min(queue.jobs.count, settings.maximumBatchSize)
                    defer { queue.jobs.removeFirst(count) }
                    return Array(queue.jobs.prefix(count))
                }
                return queue.accepting ? nil : []
            }
            if let taken { return taken.isEmpty ? nil : taken }
            await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let resumeNow = queue.withLock { queue in
                        if !queue.jobs.isEmpty || !queue.accepting { return true }
                        queue.waiter = continuation
                        return false
                    }
                    if resumeNow { continuation.resume() }
                }
            } onCancel: {
                self.stopAccepting()
            }
        }
        return nil
    }

    /// Commits a batch and answers its callers. If the batch fails as a whole, each request
    /// is retried alone so that one bad request cannot sink the others.
    private func commit(_ batch: [Job]) async {
        do {
            let result = try await writeTurns.write { try await write(batch) }
            batchSizes.record(batch.count)
            liveCounts.update(result.counts)
            if result.queuedMail { announceMail() }
            statistics?.inserted(result.insertedSignatures)
            for (job, answer) in zip(batch, result.answers) {
                switch (job, answer) {
                case (.sign(_, let continuation), .signed(let outcome)): continuation.resume(returning: outcome)
                case (.confirm(_, let continuation), .confirmed(let outcome)): continuation.resume(returning: outcome)
                case (.revise(_, let continuation), .revised(let result)): continuation.resume(with: result.mapError { $0 })
                default: job.fail(StoreError.corruptRow(table: "signatures", problem: "writer answered out of order"))
                }
            }
        } catch {
            if batch.count > 1 {
                logger.warning("batch of \(batch.count) failed (\(error)); writing its requests one by one")
                for job in batch { await commit([job]) }
            } else {
                logger.error("signature write failed: \(error)")
                for job in batch { job.fail(error) }
            }
        }
    }

    // MARK: The transaction

    enum Answer {
        case signed(SigningOutcome)
        case confirmed(ConfirmationOutcome)
        case revised(Result<RevisionOutcome, StoreError>)
    }

    struct BatchResult {
        var answers: [Answer]
        var counts: [Int64: PetitionCounts]
        var queuedMail: Bool
        /// New rows in `signatures`.
        var insertedSignatures: Int
    }

    private func write(_ batch: [Job]) async throws -> BatchResult {
        let moment = now()
        var signing: [(index: Int, request: SealedSigning)] = []
        var confirming: [(index: Int, token: ConfirmationToken)] = []
        var revising: [(index: Int, revision: SignatureRevision)] = []
        for (index, job) in batch.enumerated() {
            switch job {
            case .sign(let request, _): signing.append((index, request))
            case .confirm(let token, _): confirming.append((index, token))
            case .revise(let revision, _): revising.append((index, revision))
            }
        }

        try await database.raw(SQLQueryString(engine.beginWriting)).run()
        do {
            var answers = [Answer?](repeating: nil, count: batch.count)
            var changes = CounterChanges()
            var mail: [SealedMail] = []
            var countedAtOnce: [(index: Int, token: ConfirmationToken)] = []
            var insertedSignatures = 0
            for (position, outcome) in try await writeSignatures(
                signing, at: moment, changes: &changes, mail: &mail, countedAtOnce: &countedAtOnce, inserted: &insertedSignatures
            ) {
                answers[position] = .signed(outcome)
            }
            var tally = TallyAppender(database: database, engine: engine)
            let signedPositions = Set(countedAtOnce.map(\.index))
            for (position, outcome) in try await confirmSignatures(
                confirming + countedAtOnce, at: moment, changes: &changes, mail: &mail, tally: &tally
            ) {
                guard signedPositions.contains(position) else {
                    answers[position] = .confirmed(outcome)
                    continue
                }
                guard case .confirmed(_, let number) = outcome else {
                    // Its token was made in this transaction; only a second request for the same address in the batch
                    // can replace it. Failing the batch writes each request alone, where that cannot happen.
                    throw StoreError.invalidRequest("a signature to count at once was not confirmed (\(outcome))")
                }
                answers[position] = .signed(.counted(signerNumber: number))
            }
            for (position, result) in try await reviseSignatures(revising, at: moment, changes: &changes, tally: &tally) {
                answers[position] = .revised(result)
            }
            try await tally.write()
            try await changes.apply(on: database)
            try await SealedMail.insert(mail, at: moment.storedMilliseconds, on: database)
            let counts = changes.isEmpty ? [:] : try await Store.readCounts(from: database, petitionIDs: changes.petitionIDs)
            try await database.raw("COMMIT").run()
            return BatchResult(
                answers: answers.compactMap { $0 }, counts: counts, queuedMail: !mail.isEmpty, insertedSignatures: insertedSignatures
            )
        } catch {
            try? await database.raw("ROLLBACK").run()
            throw error
        }
    }

    /// Counter changes gathered over a batch and applied with one statement per counter.
    struct CounterChanges {
        var confirmed: [Int64: Int] = [:]
        var held: [Int64: Int] = [:]
        var byChannel: [Int64: [String: Int]] = [:]
        var byCountry: [Int64: [String: Int]] = [:]
        var byCommittee: [Int64: [Int64: Int]] = [:]
        /// By petition and UTC day of confirmation (days since 1970).
        var byDay: [Int64: [Int64: Int]] = [:]

        /// Counts one signature in or out of the petition, its channel, its country, its committee,
        /// and the day it was confirmed on (milliseconds since 1970): a signature withdrawn later
        /// leaves the day it was counted on, so every day's figure stays what a recount gives.
        mutating func count(
            _ change: Int, petitionID: Int64, channel: String, country: String, committeeID: Int64?, confirmedAt: Int64
        ) {
            confirmed[petitionID, default: 0] += change
            byChannel[petitionID, default: [:]][channel, default: 0] += change
            byCountry[petitionID, default: [:]][country, default: 0] += change
            if let committeeID { byCommittee[petitionID, default: [:]][committeeID, default: 0] += change }
            byDay[petitionID, default: [:]][confirmedAt / PetitionCounts.dayMilliseconds, default: 0] += change
        }

        var isEmpty: Bool { petitionIDs.isEmpty }
        var petitionIDs: [Int64] { Array(Set(confirmed.keys).union(held.keys)).sorted() }
    }

    private struct ExistingSignature {
        var id: Int64?
        var status: String
        var lastMailedAt: Int64?
        var revokedReason: String?
    }

    /// Inserts new signatures and updates re-submitted ones, returning each request's outcome;
    /// the requests that count at once are left in `countedAtOnce`, with the token that
    /// confirms them in the same transaction, and answered by that confirmation.
    private func writeSignatures(
        _ requests: [(index: Int, request: SealedSigning)],
        at moment: Date,
        changes: inout CounterChanges,
        mail: inout [SealedMail],
        countedAtOnce: inout [(index: Int, token: ConfirmationToken)],
        inserted: inout Int
    ) async throws -> [(Int, SigningOutcome)] {
        guard !requests.isEmpty else { return [] }
        let nowMS = moment.storedMilliseconds
        let noTime = Int64?.none
        let noText = String?.none
        let mailIntervalMS = Int64(settings.mailInterval.components.seconds * 1000)
        var outcomes: [(Int, SigningOutcome)] = []
        var newRows: [SQLQueryString] = []
        var updates: [SQLQueryString] = []

        let byPetition = Dictionary(grouping: requests, by: { $0.request.request.petitionID })
        for (petitionID, group) in byPetition.sorted(by: { $0.key < $1.key }) {
            let indexes = group.map(\.request.emailIndex)
            var existing: [String: ExistingSignature] = [:]
            let rows = try await database.raw(
                """
                SELECT id, email_index, status, last_mailed_at, revoked_reason FROM signatures
                WHERE petition_id = \(bind: petitionID) AND email_index IN (\(binds: Array(Set(indexes))))
                """
            ).all()
            for row in rows {
                existing[try row.decode(column: "email_index", as: String.self)] = ExistingSignature(
                    id: try row.decode(column: "id", as: Int64.self),
                    status: try row.decode(column: "status", as: String.self),
                    lastMailedAt: try row.decode(column: "last_mailed_at", as: Int64?.self),
                    revokedReason: try row.decode(column: "revoked_reason", as: String?.self)
                )
            }

            for (position, sealedSigning) in group {
                let request = sealedSigning.request
                let signature = request.signature
                let (emailIndex, sealed, token) = (sealedSigning.emailIndex, sealedSigning.details, sealedSigning.token)
                let (manageToken, domainIndex) = (sealedSigning.manageToken, sealedSigning.domainIndex)
                let recentlyMailed = { (previous: ExistingSignature) in
                    // No confirmation e-mail goes to a signature that counts at once, so there is no flood to hold back.
                    !request.countsAtOnce && previous.lastMailedAt.map { nowMS - $0 < mailIntervalMS } ?? false
                }
                func askForConfirmation() {
                    // Only a signature that counts at once has no e-mail sealed for it: a held one never asks.
                    if let confirmationMail = sealedSigning.confirmationMail {
                        mail.append(confirmationMail)
                        outcomes.append((position, .confirmationQueued))
                    } else {
                        countedAtOnce.append((position, token))
                    }
                }
                let tags = request.partnerTags.isEmpty ? noText : request.partnerTags.joined(separator: ",")

                guard var previous = existing[emailIndex] else {
                    // A first signature from this address.
                    let status = request.hold == nil ? "pending" : "held"
                    newRows.append(
                        """
                        (\(bind: petitionID), \(bind: emailIndex), \(bind: sealed), \(bind: signature.country.code),
                         \(bind: request.language.rawValue), \(bind: request.textHash), \(bind: signature.showNamePublicly),
                         \(bind: signature.keepInformed), \(bind: status), \(bind: request.hold?.rawValue),
                         \(bind: request.clientHash), \(bind: request.hold == nil ? token.hash : noText),
                         \(bind: request.hold == nil ? sealedSigning.expiresAt : noTime), \(bind: nowMS), \(bind: request.hold == nil ? nowMS : noTime),
                         \(bind: signature.nameModeration), \(bind: signature.commentModeration),
                         \(bind: sealedSigning.manageTokenHash), \(bind: request.networkHash),
                         \(bind: domainIndex), \(bind: request.committeeID), \(bind: request.channel.name), \(bind: request.partnerID),
                         \(bind: tags))
                        """
                    )
                    existing[emailIndex] = ExistingSignature(
                        id: nil,
                        status: status,
                        lastMailedAt: request.hold == nil ? nowMS : nil
                    )
                    if let hold = request.hold {
                        changes.held[petitionID, default: 0] += 1
                        outcomes.append((position, .held(hold)))
                    } else {
                        askForConfirmation()
                    }
                    continue
                }

                if let hold = request.hold {
                    outcomes.append((position, .held(hold)))
                    continue
                }
                // Staff invalidated this address's signature: signing again neither counts nor mails.
                if recentlyMailed(previous) || previous.revokedReason == TallyEntry.Reason.invalidated.name {
                    outcomes.append((position, .mailSuppressed))
                    continue
                }
                switch previous.status {
                case "confirmed" where previous.revokedReason == nil:
                    mail.append(
                        try QueuedMail(
                            kind: .alreadySigned,
                            language: request.language.rawValue,
                            recipient: signature.email.address,
                            fields: ["name": signature.name, "petition_id": String(petitionID), "manage": manageToken],
                            signer: MailSigner(petitionID: petitionID, emailIndex: emailIndex)
                        ).sealed(cipher: cipher, random: random, queuedAt: nowMS)
                    )
                    outcomes.append((position, .alreadySignedNoticeQueued))
                    if let id = previous.id {
                        updates.append("UPDATE signatures SET last_mailed_at = \(bind: nowMS) WHERE id = \(bind: id)")
                    }
                default:
                    // Pending, held or withdrawn: the newest submission replaces the details and gets a
                    // fresh link; a withdrawn signature counts again only once confirmed again.
                    if previous.status == "held" { changes.held[petitionID, default: 0] -= 1 }
                    askForConfirmation()
                    let match: SQLQueryString = previous.id.map { "id = \(bind: $0)" }
                        ?? "petition_id = \(bind: petitionID) AND email_index = \(bind: emailIndex)"
                    updates.append(
                        """
                        UPDATE signatures SET status = 'pending', hold_reason = NULL, personal_data = \(bind: sealed),
                            country = \(bind: signature.country.code), language = \(bind: request.language.rawValue),
                            text_hash = \(bind: request.textHash), show_name_publicly = \(bind: signature.showNamePublicly),
                            keep_informed = \(bind: signature.keepInformed), token_hash = \(bind: token.hash),
                            name_moderation = \(bind: signature.nameModeration),
                            comment_moderation = \(bind: signature.commentModeration),
                            token_expires_at = \(bind: sealedSigning.expiresAt), last_mailed_at = \(bind: nowMS),
                            network_hash = COALESCE(\(bind: request.networkHash), network_hash), email_domain_hash = \(bind: domainIndex),
                            revoked_at = NULL, revoked_reason = NULL,
                            committee_id = COALESCE(\(bind: request.committeeID), committee_id),
                            channel = \(bind: request.channel.name), partner_id = \(bind: request.partnerID), partner_tags = \(bind: tags)
                        """ + " WHERE " + match
                    )
                }
                previous.status = "pending"
                previous.revokedReason = nil
                previous.lastMailedAt = nowMS
                existing[emailIndex] = previous
            }
        }

        inserted = newRows.count
        if !newRows.isEmpty {
            try await database.raw(
                """
                INSERT INTO signatures (petition_id, email_index, personal_data, country, language, text_hash,
                    show_name_publicly, keep_informed, status, hold_reason, client_hash, token_hash,
                    token_expires_at, created_at, last_mailed_at, name_moderation, comment_moderation, manage_token_hash,
                    network_hash, email_domain_hash, committee_id, channel, partner_id, partner_tags)
                VALUES
                """ + newRows.joined(separator: ", ")
            ).run()
        }
        for update in updates {
            try await database.raw(update).run()
        }
        return outcomes
    }

    /// Confirms pending signatures by token, numbers them in order of confirmation, appends an
    /// addition to the tally log for each and queues its receipt.
    private func confirmSignatures(
        _ requests: [(index: Int, token: ConfirmationToken)],
        at moment: Date,
        changes: inout CounterChanges,
        mail: inout [SealedMail],
        tally: inout TallyAppender
    ) async throws -> [(Int, ConfirmationOutcome)] {
        guard !requests.isEmpty else { return [] }
        let nowMS = moment.storedMilliseconds
        var found: [String: PendingConfirmation] = [:]
        let hashes = Array(Set(requests.map(\.token.hash)))
        for row in try await database.raw(
            """
            SELECT id, petition_id, email_index, status, country, language, text_hash, personal_data, token_hash,
                token_expires_at, signer_number, committee_id, channel
            FROM signatures WHERE token_hash IN (\(binds: hashes))
            """
        ).all() {
            found[try row.decode(column: "token_hash", as: String.self)] = PendingConfirmation(
                id: try row.decode(column: "id", as: Int64.self),
                petitionID: try row.decode(column: "petition_id", as: Int64.self),
                emailIndex: try row.decode(column: "email_index", as: String.self),
                status: try row.decode(column: "status", as: String.self),
                country: try row.decode(column: "country", as: String.self),
                language: try row.decode(column: "language", as: String.self),
                textHash: try row.decode(column: "text_hash", as: String.self),
                personalData: try row.decode(column: "personal_data", as: Data.self),
                expiresAt: try row.decode(column: "token_expires_at", as: Int64?.self),
                number: try row.decode(column: "signer_number", as: Int?.self),
                committeeID: try row.decode(column: "committee_id", as: Int64?.self),
                channel: try Self.channel(of: row)
            )
        }

        // Signer numbers follow the log's additions, which never go down, so a withdrawal
        // cannot make two signers share a number.
        try await tally.load(petitionIDs: found.values.filter { $0.status == "pending" }.map(\.petitionID))

        var outcomes: [(Int, ConfirmationOutcome)] = []
        var numbered: [(id: Int64, number: Int, leaf: UInt64, sealedNonce: Data)] = []
        for (position, token) in requests {
            guard var signature = found[token.hash] else {
                outcomes.append((position, .unknown))
                continue
            }
            switch signature.status {
            case "confirmed":
                outcomes.append((position, .alreadyConfirmed(petitionID: signature.petitionID, signerNumber: signature.number ?? 0)))
            case "pending" where (signature.expiresAt ?? 0) < nowMS:
                outcomes.append((position, .expired(petitionID: signature.petitionID)))
            case "pending":
                let number = Int(tally.additions(petitionID: signature.petitionID)) + 1
                let addition = try prepareAddition(signature, day: TallyDay(moment))
                let appended = try tally.append(.addition(addition.entry), petitionID: signature.petitionID, atMilliseconds: nowMS)
                let receipt = addition.receipt(leaf: appended, signer: MailSigner(petitionID: signature.petitionID, emailIndex: signature.emailIndex))
                mail.append(try receipt.sealed(cipher: cipher, random: random, queuedAt: nowMS))
                numbered.append((signature.id, number, appended.index, addition.sealedNonce))
                changes.count(
                    1, petitionID: signature.petitionID, channel: signature.channel.name, country: signature.country,
                    committeeID: signature.committeeID, confirmedAt: nowMS
                )
                signature.status = "confirmed"
                signature.number = number
                found[token.hash] = signature
                outcomes.append((position, .confirmed(petitionID: signature.petitionID, signerNumber: number)))
            default:
                outcomes.append((position, .unknown))
            }
        }

        if !numbered.isEmpty {
            let numbers = numbered.map { "WHEN \(bind: $0.id) THEN \(bind: $0.number)" as SQLQueryString }
            let leaves = numbered.map { "WHEN \(bind: $0.id) THEN \(bind: Int64($0.leaf))" as SQLQueryString }
            let nonces = numbered.map { "WHEN \(bind: $0.id) THEN \(bind: $0.sealedNonce)" as SQLQueryString }
            try await database.raw(
                "UPDATE signatures SET status = 'confirmed', confirmed_at = \(bind: nowMS), signer_number = CASE id "
                    + numbers.joined(separator: " ") + " END, tally_leaf = CASE id "
                    + leaves.joined(separator: " ") + " END, receipt_nonce = CASE id "
                    + nonces.joined(separator: " ") + " END WHERE id IN (\(binds: numbered.map(\.id)))"
            ).run()
        }
        return outcomes
    }
}

extension SignatureWriter {
    /// The channel a signature row came through.
    static func channel(of row: any SQLRow) throws -> TallyEntry.Channel {
        let name = try row.decode(column: "channel", as: String.self)
        guard let channel = TallyEntry.Channel(name: name) else {
            throw StoreError.corruptRow(table: "signatures", problem: "channel '\(name)'")
        }
        return channel
    }
}

extension SignatureWriter.CounterChanges {
    /// Adds the changes to the counters: one statement per petition, then one each for channels, countries, committees and days.
    func apply(on database: any SQLDatabase) async throws {
        for petitionID in petitionIDs {
            try await database.raw(
                """
                UPDATE petition_counters
                SET confirmed_count = confirmed_count + \(bind: confirmed[petitionID] ?? 0),
                    held_count = held_count + \(bind: held[petitionID] ?? 0),
                    version = version + 1
                WHERE petition_id = \(bind: petitionID)
                """
            ).run()
        }
        try await add(byChannel, to: "channel_counts", keyedBy: "channel", on: database)
        try await add(byCountry, to: "country_counts", keyedBy: "country", on: database)
        try await add(byCommittee, to: "committee_counts", keyedBy: "committee_id", on: database)
        try await add(byDay, to: "daily_counts", keyedBy: "day", on: database)
    }

    /// Adds counts by petition and key to a table of counts, creating the rows that are missing.
    private func add<Key: Comparable & Encodable & Sendable>(
        _ counts: [Int64: [Key: Int]], to table: String, keyedBy column: String, on database: any SQLDatabase
    ) async throws {
        let rows = counts.sorted { $0.key < $1.key }.flatMap { petitionID, byKey in
            byKey.sorted { $0.key < $1.key }.map { key, added in
                "(\(bind: petitionID), \(bind: key), \(bind: added))" as SQLQueryString
            }
        }
        guard !rows.isEmpty else { return }
        try await database.raw(
            "INSERT INTO \(ident: table) (petition_id, \(ident: column), confirmed_count) VALUES "
                + rows.joined(separator: ", ")
                + " ON CONFLICT (petition_id, \(ident: column)) DO UPDATE SET confirmed_count = \(ident: table).confirmed_count + excluded.confirmed_count"
        ).run()
    }
}

extension ValidSignature {
    /// Whether staff must look at the public name before it is shown.
    var nameModeration: String { showNamePublicly ? "pending" : "none" }
    /// Whether staff must look at the comment before it is shown.
    var commentModeration: String { comment == nil ? "none" : "pending" }
}
