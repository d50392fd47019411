import Foundation
import Testing
import VigilCore
import VigilTestSupport
@testable import VigilStore

@Suite("Outbox")
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

            try await test.store.markMailSent(id: again.id)
            #expect(try await test.store.outboxSummary() == OutboxSummary(sent: 1))
            test.clock.advance(by: 3600)
            #expect(try await test.store.claimDueMail(limit: 10, lease: .seconds(60)).isEmpty)
            let payload = try await test.store.reader.raw("SELECT payload FROM outbox").first()?.decode(column: "payload", as: Data?.self)
            #expect(payload == nil)
        }
    }

    @Test("a retry waits for its delay; a permanent failure stays failed with its error")
    func retryAndFail() async throws {
        try await TestStore.with { test in
            _ = try await test.store.signatureWriter.sign(try await test.request(email: "a@example.org"))
            _ = try await test.store.signatureWriter.sign(try await test.request(email: "b@example.org"))
            let claimed = try await test.store.claimDueMail(limit: 10, lease: .seconds(60))
            #expect(claimed.count == 2)
            try await test.store.markMailForRetry(id: claimed[0].id, error: "451 try later", retryAfter: .seconds(120))
            try await test.store.markMailFailed(id: claimed[1].id, error: "550 no such user")

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
}
