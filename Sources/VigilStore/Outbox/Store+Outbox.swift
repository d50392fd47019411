import Foundation
import SQLKit
import VigilCore

/// How many messages are in each state of the outbox.
public struct OutboxSummary: Sendable, Equatable {
    public var queued = 0
    public var sending = 0
    public var sent = 0
    public var failed = 0

    public init(queued: Int = 0, sending: Int = 0, sent: Int = 0, failed: Int = 0) {
        self.queued = queued
        self.sending = sending
        self.sent = sent
        self.failed = failed
    }
}

extension Store {
    /// Takes up to `limit` messages that are due and leases them to the caller for `lease`.
    ///
    /// A message whose lease ran out (its sender crashed) is due again, so nothing waits forever;
    /// this makes delivery at-least-once, and the stable Message-ID lets receivers drop a repeat.
    public func claimDueMail(limit: Int, lease: Duration) async throws -> [OutboxMessage] {
        let nowMS = now().storedMilliseconds
        let leaseUntil = nowMS + Int64(lease.components.seconds * 1000)
        let rows = try await write { database in
            // Lapsed leases first, then queued messages: each is a range of the `outbox_due` index
            // (status, next attempt). Asked together, with OR, PostgreSQL read and sorted the
            // whole outbox for every claim (24 ms at 30,000 queued messages, against 0.5 ms).
            let lapsed = try await claim(
                "status = 'sending' AND lease_until < \(bind: nowMS)", limit: limit, leaseUntil: leaseUntil, on: database
            )
            guard lapsed.count < limit else { return lapsed }
            return lapsed + (try await claim(
                "status = 'queued' AND next_attempt_at <= \(bind: nowMS)", limit: limit - lapsed.count, leaseUntil: leaseUntil, on: database
            ))
        }
        return try rows.map(openMail).sorted { $0.id < $1.id }
    }

    /// Leases up to `limit` messages that match `condition`, oldest attempt first.
    private func claim(_ condition: SQLQueryString, limit: Int, leaseUntil: Int64, on database: any SQLDatabase) async throws -> [any SQLRow] {
        // Several servers may share one PostgreSQL: each passes over the rows another is claiming,
        // so a message is leased to one of them.
        try await database.raw(
            """
            UPDATE outbox SET status = 'sending', lease_until = \(bind: leaseUntil)
            WHERE id IN (SELECT id FROM outbox WHERE\u{20}
            """ + condition + " ORDER BY next_attempt_at, id LIMIT \(bind: limit)" + SQLQueryString(engine.claimingRows) + """
            )
            RETURNING id, kind, language, recipient, payload, attempts, message_id
            """
        ).all()
    }

    /// Every message not yet sent, opened, oldest first, without leasing them.
    public func unsentMail() async throws -> [OutboxMessage] {
        try await reader.raw(
            """
            SELECT id, kind, language, recipient, payload, attempts, message_id
            FROM outbox WHERE status IN ('queued', 'sending') ORDER BY id
            """
        ).all().map(openMail)
    }

    private func openMail(_ row: any SQLRow) throws -> OutboxMessage {
        let kindText = try row.decode(column: "kind", as: String.self)
        guard let kind = OutboxMessage.Kind(rawValue: kindText) else {
            throw StoreError.corruptRow(table: "outbox", problem: "kind '\(kindText)'")
        }
        let recipient = try cipher.open(Array(try row.decode(column: "recipient", as: Data.self)))
        let payload = try row.decode(column: "payload", as: Data?.self) ?? Data()
        let fields = payload.isEmpty ? [:] : try cipher.open(json: [String: String].self, from: Array(payload))
        return OutboxMessage(
            id: try row.decode(column: "id", as: Int64.self),
            kind: kind,
            language: try row.decode(column: "language", as: String.self),
            recipient: String(decoding: recipient, as: UTF8.self),
            fields: fields,
            attempts: try row.decode(column: "attempts", as: Int.self),
            messageID: try row.decode(column: "message_id", as: String.self)
        )
    }

    /// Records what became of claimed messages, all in one transaction: a sender that claims
    /// a batch commits once for the batch, not once for each message.
    public func recordMail(_ outcomes: [MailOutcome]) async throws {
        guard !outcomes.isEmpty else { return }
        let nowMS = now().storedMilliseconds
        try await transaction { database in
            let sent = outcomes.compactMap { if case .sent(let id) = $0 { id } else { nil } }
            if !sent.isEmpty {
                // The payload (which holds the confirmation link) is erased: it is no longer needed.
                try await database.raw(
                    """
                    UPDATE outbox SET status = 'sent', sent_at = \(bind: nowMS), attempts = attempts + 1,
                        payload = NULL, lease_until = NULL, last_error = NULL
                    WHERE id IN (\(binds: sent))
                    """
                ).run()
            }
            let released = outcomes.compactMap { if case .released(let id) = $0 { id } else { nil } }
            if !released.isEmpty {
                try await database.raw(
                    "UPDATE outbox SET status = 'queued', lease_until = NULL WHERE id IN (\(binds: released)) AND status = 'sending'"
                ).run()
            }
            for outcome in outcomes {
                switch outcome {
                case .sent, .released:
                    continue
                case .willRetry(let id, let error, let delay):
                    let next = nowMS + Int64(delay.components.seconds * 1000)
                    try await database.raw(
                        """
                        UPDATE outbox SET status = 'queued', attempts = attempts + 1, next_attempt_at = \(bind: next),
                            lease_until = NULL, last_error = \(bind: error)
                        WHERE id = \(bind: id) AND status = 'sending'
                        """
                    ).run()
                case .failed(let id, let error):
                    try await database.raw(
                        """
                        UPDATE outbox SET status = 'failed', attempts = attempts + 1, lease_until = NULL, last_error = \(bind: error)
                        WHERE id = \(bind: id) AND status = 'sending'
                        """
                    ).run()
                }
            }
        }
    }

    /// Deletes the sent and failed messages whose last attempt is more than `days` old, sealed
    /// addresses and all, and returns how many went.
    ///
    /// Erasing a signature deletes its own messages at once; this bounds how long every other
    /// sealed address stays in the outbox. It runs in batches of `batchSize` rows, each committed
    /// on its own, so that a first clean-up of a large outbox never holds the signature writer
    /// for long.
    @discardableResult
    public func forgetFinishedMail(olderThanDays days: Int, batchSize: Int = 5_000) async throws -> Int {
        precondition(days >= 0 && batchSize > 0, "days must be 0 or more and batches not empty")
        let cutoff = now().storedMilliseconds - Int64(days) * PetitionCounts.dayMilliseconds
        var deleted = 0
        // Each state is a range of the `outbox_due` index (status, next attempt); a message is
        // never sent before it is due, so its sending time is tested only inside that range.
        for status in [OutboxEntry.Status.sent, .failed] {
            while true {
                let batch = try await write { database in
                    try await database.raw(
                        """
                        DELETE FROM outbox WHERE id IN (
                            SELECT id FROM outbox
                            WHERE status = \(bind: status.rawValue) AND next_attempt_at < \(bind: cutoff)
                                AND (sent_at IS NULL OR sent_at < \(bind: cutoff))
                            LIMIT \(bind: batchSize)
                        ) RETURNING id
                        """
                    ).all().count
                }
                deleted += batch
                if batch < batchSize { break }
            }
        }
        return deleted
    }

    /// The number of messages in each state.
    public func outboxSummary() async throws -> OutboxSummary {
        var summary = OutboxSummary()
        for row in try await reader.raw("SELECT status, COUNT(*) AS n FROM outbox GROUP BY status").all() {
            let count = try row.decode(column: "n", as: Int.self)
            switch try row.decode(column: "status", as: String.self) {
            case "queued": summary.queued = count
            case "sending": summary.sending = count
            case "sent": summary.sent = count
            case "failed": summary.failed = count
            default: break
            }
        }
        return summary
    }

    /// Messages in one state (or in any), newest first, as staff may see them.
    public func outboxEntries(status: OutboxEntry.Status? = nil, limit: Int) async throws -> [OutboxEntry] {
        let filter: SQLQueryString = status.map { " WHERE status = \(bind: $0.rawValue)" } ?? ""
        return try await reader.raw(
            """
            SELECT id, kind, status, recipient, attempts, next_attempt_at, last_error, created_at, sent_at, message_id
            FROM outbox
            """ + filter + " ORDER BY id DESC LIMIT \(bind: limit)"
        ).all().map { row in
            let kindText = try row.decode(column: "kind", as: String.self)
            let statusText = try row.decode(column: "status", as: String.self)
            guard let kind = OutboxMessage.Kind(rawValue: kindText), let status = OutboxEntry.Status(rawValue: statusText) else {
                throw StoreError.corruptRow(table: "outbox", problem: "kind '\(kindText)', status '\(statusText)'")
            }
            let recipient = try cipher.open(Array(try row.decode(column: "recipient", as: Data.self)))
            return OutboxEntry(
                id: try row.decode(column: "id", as: Int64.self),
                kind: kind,
                status: status,
                maskedRecipient: EmailAddress.masked(String(decoding: recipient, as: UTF8.self)),
                attempts: try row.decode(column: "attempts", as: Int.self),
                nextAttemptAt: Date(storedMilliseconds: try row.decode(column: "next_attempt_at", as: Int64.self)),
                lastError: try row.decode(column: "last_error", as: String?.self),
                createdAt: Date(storedMilliseconds: try row.decode(column: "created_at", as: Int64.self)),
                sentAt: try row.decode(column: "sent_at", as: Int64?.self).map(Date.init(storedMilliseconds:)),
                messageID: try row.decode(column: "message_id", as: String.self)
            )
        }
    }

    /// Puts a failed message back in the queue, due now and with its attempts counted from zero,
    /// and writes `audit` about it in the same transaction. Throws ``StoreError/notFound(_:)`` for
    /// an unknown id and ``StoreError/conflict(_:)`` for a message that has not failed; then
    /// nothing changes.
    public func retryFailedMail(id: Int64, audit: AuditRecord) async throws {
        try await transaction { database in
            guard let row = try await database.raw(
                "SELECT kind, status, attempts, last_error FROM outbox WHERE id = \(bind: id)"
            ).first() else {
                throw StoreError.notFound("e-mail \(id)")
            }
            let status = try row.decode(column: "status", as: String.self)
            guard status == OutboxEntry.Status.failed.rawValue else {
                throw StoreError.conflict("e-mail \(id) is \(status), not failed")
            }
            try await requeueFailedMail(where: "id = \(bind: id)", on: database)
            var record = audit.about("outbox:\(id)")
            record.details = [
                "kind": try row.decode(column: "kind", as: String.self),
                "attempts": String(try row.decode(column: "attempts", as: Int.self)),
                "error": try row.decode(column: "last_error", as: String?.self) ?? "",
            ]
            try await appendAudit(record, on: database)
        }
        announceMail()
    }

    /// Puts every failed message back in the queue as ``retryFailedMail(id:audit:)`` does, with
    /// one audit line for all of them, and returns how many there were.
    public func retryAllFailedMail(audit: AuditRecord) async throws -> Int {
        let count = try await transaction { database in
            let count = try await requeueFailedMail(where: "1 = 1", on: database)
            if count > 0 {
                var record = audit.about("outbox:failed")
                record.details = ["messages": String(count)]
                try await appendAudit(record, on: database)
            }
            return count
        }
        if count > 0 { announceMail() }
        return count
    }

    /// Makes failed messages that match `filter` due now, as if new; they keep their Message-ID.
    @discardableResult
    private func requeueFailedMail(where filter: SQLQueryString, on database: any SQLDatabase) async throws -> Int {
        try await database.raw(
            """
            UPDATE outbox SET status = 'queued', attempts = 0, next_attempt_at = \(bind: now().storedMilliseconds),
                lease_until = NULL, last_error = NULL
            WHERE status = 'failed' AND (
            """ + filter + ") RETURNING id"
        ).all().count
    }

    /// The error recorded for a message, if its last attempt failed.
    public func lastMailError(id: Int64) async throws -> String? {
        try await reader.raw("SELECT last_error FROM outbox WHERE id = \(bind: id)").first()?
            .decode(column: "last_error", as: String?.self)
    }
}
