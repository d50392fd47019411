import Foundation
import Testing
import VigilCore
import VigilTestSupport
@testable import VigilStore

@Suite("Outbox", .onBothDatabases)
struct OutboxTests {
    @Test("claimed mail is leased; a lapsed lease makes it due again; sent mail loses its payload")
    func leaseAndSend() async throws {
        try await TestStore.with { test in
            _ = try await test.store.signatureWriter.sign(try await test.request(email: "mail@example.org"))

            let claimed = try await test.store.claimDueMail(limit: 10, lease: .seconds(60))
            #expect(claimed.count == 1)
            #expect(claimed.first?.recipient == "mail@example.org")
            #expect(claimed.first?.fields["token"] != nil)
            #expect(try await test.store.claimDueMail(limit: 10, lease: .seconds(60)).isEmpty)

            test.clock.advance(by: 61)
            let again = try #require(try await test.store.claimDueMail(limit: 10, lease: .seconds(60)).first)
            #expect(again.id == claimed.first?.id)
            #expect(again.messageID == claimed.first?.messageID)

            try await test.store.recordMail([.sent(id: again.id)])
            #expect(try await test.store.outboxSummary() == OutboxSummary(sent: 1))
            test.clock.advance(by: 3600)
            #expect(try await test.store.claimDueMail(limit: 10, lease: .seconds(60)).isEmpty)
            let payload = try await test.store.reader.raw("SELECT payload FROM outbox").first()?.decode(column: "payload", as: Data?.self)
            #expect(payload == nil)
        }
    }

    @Test("sent and failed mail goes, address and all, once its last attempt is older than the history; mail still to send stays")
    func forgetFinishedMail() async throws {
        try await TestStore.with { test in
            let store = test.store
            for name in ["sent", "also-sent", "refused", "retried", "late"] {
                _ = try await store.signatureWriter.sign(try await test.request(email: "\(name)@example.org"))
            }
            let claimed = try await store.claimDueMail(limit: 10, lease: .seconds(60))
            try #require(claimed.count == 5)
            let id = Dictionary(uniqueKeysWithValues: claimed.map { ($0.recipient.split(separator: "@")[0], $0.id) })
            try await store.recordMail([
                .sent(id: id["sent"]!), .sent(id: id["also-sent"]!), .failed(id: id["refused"]!, error: "550 no such user"),
                .willRetry(id: id["retried"]!, error: "451 try later", after: .seconds(120)), .released(id: id["late"]!),
            ])
            #expect(try await store.forgetFinishedMail(olderThanDays: 7) == 0, "nothing is old yet")

            // Eight days on, the retried message is being sent again and the late one only now went out.
            test.clock.advance(by: 8 * 86_400)
            let due = try await store.claimDueMail(limit: 10, lease: .seconds(60))
            #expect(Set(due.map(\.id)) == [id["retried"]!, id["late"]!])
            try await store.recordMail([.sent(id: id["late"]!)])

            // Batches of one: every batch commits on its own and the loop goes on until none is left.
            #expect(try await store.forgetFinishedMail(olderThanDays: 7, batchSize: 1) == 3)
            #expect(try await store.outboxSummary() == OutboxSummary(sending: 1, sent: 1))
            #expect(Set(try await store.outboxEntries(limit: 10).map(\.id)) == [id["retried"]!, id["late"]!])
            let rows = try await store.reader.raw("SELECT COUNT(*) AS n FROM outbox").first()?.decode(column: "n", as: Int.self)
            #expect(rows == 2, "the rows are deleted, sealed addresses included")

            // The late message counts from when it was sent; a message still being sent never goes.
            test.clock.advance(by: 8 * 86_400)
            #expect(try await store.forgetFinishedMail(olderThanDays: 7) == 1)
            #expect(try await store.outboxSummary() == OutboxSummary(sending: 1))
            #expect(try await store.forgetFinishedMail(olderThanDays: 0) == 0)
        }
    }

    @Test("a retry waits for its delay; a permanent failure stays failed with its error")
    func retryAndFail() async throws {
        try await TestStore.with { test in
            _ = try await test.store.signatureWriter.sign(try await test.request(email: "a@example.org"))
            _ = try await test.store.signatureWriter.sign(try await test.request(email: "b@example.org"))
            let claimed = try await test.store.claimDueMail(limit: 10, lease: .seconds(60))
            #expect(claimed.count == 2)
            try await test.store.recordMail([
                .willRetry(id: claimed[0].id, error: "451 try later", after: .seconds(120)),
                .failed(id: claimed[1].id, error: "550 no such user"),
            ])

            test.clock.advance(by: 100)
            #expect(try await test.store.claimDueMail(limit: 10, lease: .seconds(60)).isEmpty)
            test.clock.advance(by: 30)
            let retried = try await test.store.claimDueMail(limit: 10, lease: .seconds(60))
            #expect(retried.map(\.id) == [claimed[0].id])
            #expect(retried.first?.attempts == 1)
            #expect(try await test.store.lastMailError(id: claimed[1].id) == "550 no such user")
            #expect(try await test.store.outboxSummary().failed == 1)
        }
    }

    @Test("staff send a failed message again: due now, attempts from zero, same Message-ID and payload, audited; other states are refused")
    func retryFailed() async throws {
        try await TestStore.with { test in
            let store = test.store
            _ = try await store.signatureWriter.sign(try await test.request(email: "gone@example.org"))
            _ = try await store.signatureWriter.sign(try await test.request(email: "sent@example.org"))
            let claimed = try await store.claimDueMail(limit: 10, lease: .seconds(60))
            try #require(claimed.count == 2)
            try await store.recordMail([.failed(id: claimed[0].id, error: "550 5.1.1 no such user"), .sent(id: claimed[1].id)])
            let audit = AuditRecord(staffID: nil, actor: "test", action: "mail.retried")
            let before = try await store.outboxEntries(limit: 10)
            #expect(before.first { $0.id == claimed[0].id }?.maskedRecipient == "g…@example.org")

            let conflict = await #expect(throws: StoreError.self) { try await store.retryFailedMail(id: claimed[1].id, audit: audit) }
            guard case .conflict = conflict else { Issue.record("a sent message: \(String(describing: conflict))"); return }
            let missing = await #expect(throws: StoreError.self) { try await store.retryFailedMail(id: 9999, audit: audit) }
            guard case .notFound = missing else { Issue.record("an unknown id: \(String(describing: missing))"); return }
            #expect(try await store.outboxEntries(limit: 10) == before, "a refused retry changes nothing")
            #expect(try await store.auditLog(limit: 10).isEmpty)

            test.clock.advance(by: 100)
            try await store.retryFailedMail(id: claimed[0].id, audit: audit)
            let entry = try #require(try await store.outboxEntries(status: .queued, limit: 10).first)
            #expect(entry.id == claimed[0].id)
            #expect(entry.attempts == 0)
            #expect(entry.nextAttemptAt == test.clock.now)
            #expect(entry.lastError == nil)
            let again = try #require(try await store.claimDueMail(limit: 10, lease: .seconds(60)).first)
            #expect(again.messageID == claimed[0].messageID)
            #expect(again.fields == claimed[0].fields, "a failed message keeps what it needs to be sent")
            let line = try #require(try await store.auditLog(limit: 10).first)
            #expect(line.action == "mail.retried")
            #expect(line.subject == "outbox:\(claimed[0].id)")
            #expect(line.details?.contains("550 5.1.1 no such user") == true)
            #expect(try await store.retryAllFailedMail(audit: audit) == 0, "nothing is failed any more")
        }
    }

    @Test("a round's outcomes land together: sent, released as it was, retried")
    func recordRound() async throws {
        try await TestStore.with { test in
            for name in ["a", "b", "c"] {
                _ = try await test.store.signatureWriter.sign(try await test.request(email: "\(name)@example.org"))
            }
            let claimed = try await test.store.claimDueMail(limit: 10, lease: .seconds(600))
            try #require(claimed.count == 3)
            try await test.store.recordMail([
                .sent(id: claimed[0].id),
                .released(id: claimed[1].id),
                .willRetry(id: claimed[2].id, error: "451 busy", after: .seconds(60)),
            ])
            #expect(try await test.store.outboxSummary() == OutboxSummary(queued: 2, sent: 1))
            let again = try await test.store.claimDueMail(limit: 10, lease: .seconds(600))
            #expect(again.map(\.id) == [claimed[1].id], "a released message is due at once, the retried one after its delay")
            #expect(again.first?.attempts == 0, "a message that was not tried has no attempt counted")
        }
    }
}
