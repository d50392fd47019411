import Foundation
import SQLKit
import Testing
import VigilCore
import VigilTestSupport
@testable import VigilStore

@Suite("Bulk invalidation", .onBothDatabases)
struct InvalidationTests {
    static let staff = AuditRecord(staffID: nil, actor: "admin@example.org", action: "signatures.invalidated")

    /// Signs and confirms with a network hash, as the web target sends it.
    static func signAndConfirm(_ test: TestStore, _ email: String, country: String = "FR", network: String? = nil) async throws {
        var request = try await test.request(email: email, country: country)
        request.networkHash = network
        _ = try await test.store.signatureWriter.sign(request)
        let token = try #require(try await test.confirmationToken(for: email))
        _ = try await test.store.signatureWriter.confirm(token)
    }

    @Test("a batch by network, domain, country or days takes exactly the counted signatures that match, and undo puts them back")
    func invalidateAndUndo() async throws {
        try await TestStore.with { test in
            let petitionID = try await test.petition().id
            try await Self.signAndConfirm(test, "a@flood.example", country: "AZ", network: "net-1")
            try await Self.signAndConfirm(test, "b@flood.example", country: "AZ", network: "net-1")
            try await Self.signAndConfirm(test, "c@other.example", country: "AZ", network: "net-1")
            try await Self.signAndConfirm(test, "d@flood.example", country: "FR", network: "net-2")
            test.clock.advance(by: 3 * 86_400)
            try await Self.signAndConfirm(test, "e@other.example", country: "DE", network: "net-2")
            _ = try await test.store.signatureWriter.sign(try await test.request(email: "pending@flood.example"))

            func matches(_ criteria: InvalidationCriteria) async throws -> Int {
                try await test.store.invalidationMatches(criteria)
            }
            #expect(try await matches(InvalidationCriteria(petitionID: petitionID, networkHash: "net-1", summary: "")) == 3)
            #expect(try await matches(InvalidationCriteria(petitionID: petitionID, emailDomain: "flood.example", summary: "")) == 3,
                    "the pending signature does not count, so it is not taken")
            #expect(try await matches(InvalidationCriteria(petitionID: petitionID, networkHash: "net-1", emailDomain: "flood.example", summary: "")) == 2)
            #expect(try await matches(InvalidationCriteria(petitionID: petitionID, country: "AZ", summary: "")) == 3)
            let start = Date(timeIntervalSince1970: 1_790_000_000)
            #expect(try await matches(InvalidationCriteria(petitionID: petitionID, signedFrom: start.addingTimeInterval(86_400), summary: "")) == 1)
            #expect(try await matches(InvalidationCriteria(petitionID: petitionID, signedBefore: start.addingTimeInterval(86_400), summary: "")) == 4)

            let batch = try await test.store.invalidate(
                InvalidationCriteria(petitionID: petitionID, emailDomain: "flood.example", summary: "e-mail domain flood.example"),
                reason: "  addresses made up in one minute  ", audit: Self.staff
            )
            #expect(batch.signatureCount == 3 && batch.stillInvalidated == 3 && batch.reason == "addresses made up in one minute")
            #expect(try await test.store.recount(petitionID: petitionID).confirmed == 2)
            try await test.expectLogMatchesCounters()
            #expect(try await matches(InvalidationCriteria(petitionID: petitionID, emailDomain: "flood.example", summary: "")) == 0)
            #expect(try await test.store.auditLog(limit: 5).contains { $0.action == "signatures.invalidated" && $0.subject == "invalidation:\(batch.id)" })

            var undo = Self.staff
            undo.action = "signatures.invalidation-undone"
            #expect(try await test.store.undoInvalidation(batchID: batch.id, audit: undo) == 3)
            #expect(try await test.store.recount(petitionID: petitionID).confirmed == 5)
            try await test.expectLogMatchesCounters()
            let listed = try await test.store.invalidationBatches(petitionID: petitionID, limit: 10)
            #expect(listed.map(\.id) == [batch.id] && listed[0].stillInvalidated == 0 && listed[0].undoneBy == "admin@example.org")
            await #expect(throws: StoreError.self) { try await test.store.undoInvalidation(batchID: batch.id, audit: undo) }
            let entries = try await test.logEntries()
            #expect(entries.count == 5 + 3 + 3, "five additions, three revocations, three reinstatements")
        }
    }

    @Test("a batch without criteria, without a reason or with nothing to take changes nothing")
    func badRequestsChangeNothing() async throws {
        try await TestStore.with { test in
            let petitionID = try await test.petition().id
            try await Self.signAndConfirm(test, "one@example.org", network: "net-1")
            let before = try await test.logEntries().count
            let cases: [(InvalidationCriteria, String, String)] = [
                (InvalidationCriteria(petitionID: petitionID, summary: "nothing"), "flood", "at least one criterion"),
                (InvalidationCriteria(petitionID: petitionID, networkHash: "net-1", summary: "network"), "   ", "give a reason"),
                (InvalidationCriteria(petitionID: petitionID, networkHash: "net-1", summary: "network"), String(repeating: "x", count: 501), "longer than 500"),
                (InvalidationCriteria(petitionID: petitionID, networkHash: "net-9", summary: "network"), "flood", "no counted signature"),
            ]
            for (criteria, reason, message) in cases {
                await #expect {
                    try await test.store.invalidate(criteria, reason: reason, audit: Self.staff)
                } throws: { error in
                    guard case StoreError.invalidRequest(let problem) = error else { return false }
                    return problem.contains(message)
                }
            }
            #expect(try await test.store.recount(petitionID: petitionID).confirmed == 1)
            #expect(try await test.logEntries().count == before)
            #expect(try await test.store.invalidationBatches(petitionID: petitionID, limit: 10).isEmpty)
        }
    }

    @Test("networks are forgotten after the client-hash days; domains and receipts go with erased personal data")
    func privacy() async throws {
        try await TestStore.with { test in
            let petitionID = try await test.petition().id
            try await Self.signAndConfirm(test, "kept@example.org", network: "net-1")
            try await Self.signAndConfirm(test, "erased@example.org", network: "net-1")
            let erased = try await test.signatureID("erased@example.org")
            try await test.store.erasePersonalData(signatureID: erased)
            let row = try #require(
                try await test.store.reader.raw(
                    "SELECT network_hash, email_domain_hash, receipt_nonce FROM signatures WHERE id = \(bind: erased)"
                ).first()
            )
            #expect(try row.decode(column: "network_hash", as: String?.self) == nil)
            #expect(try row.decode(column: "email_domain_hash", as: String?.self) == nil)
            #expect(try row.decode(column: "receipt_nonce", as: Data?.self) == nil)
            #expect(try await test.store.invalidationMatches(InvalidationCriteria(petitionID: petitionID, emailDomain: "example.org", summary: "")) == 1)

            test.clock.advance(by: 8 * 86_400)
            #expect(try await test.store.purgePersonalData(days: 90, clientHashDays: 7, actor: "test").forgottenClientHashes == 1)
            #expect(try await test.store.invalidationMatches(InvalidationCriteria(petitionID: petitionID, networkHash: "net-1", summary: "")) == 0)
            #expect(try await test.store.invalidationMatches(InvalidationCriteria(petitionID: petitionID, emailDomain: "example.org", summary: "")) == 1)
        }
    }
}
