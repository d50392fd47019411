import Foundation
import Testing
import VigilCore
import VigilTestSupport
@testable import VigilStore

@Suite("Committees in the store", .onBothDatabases)
struct CommitteeStoreTests {
    static let audit = AuditRecord(staffID: nil, actor: "test", action: "")

    static func lyon(shown: Bool = true) throws -> CommitteeDetails {
        try CommitteeDetails.checked(
            name: "Comité Arménie Lyon", city: "Lyon", country: "fr", contact: "lyon@example.org", languages: ["fr", "hy"],
            goal: "500", shownInLeague: shown
        )
    }

    static func committeeCount(_ test: TestStore) async throws -> Int {
        try await test.store.committees().count
    }

    @Test("a committee gets a random code when none is chosen; a chosen code in use is refused and nothing is written")
    func create() async throws {
        try await TestStore.with { test in
            let petition = try await test.petition()
            let generated = try await test.store.createCommittee(petitionID: petition.id, code: nil, details: try Self.lyon(), audit: Self.audit)
            #expect(generated.code.text.count == 8)
            #expect(generated.details.languages == [.armenian, .french])
            #expect(generated.details.country.code == "FR")
            #expect(try await test.store.committee(id: generated.id) == generated)

            let chosen = try await test.store.createCommittee(
                petitionID: petition.id, code: CommitteeCode("Lyon-2"), details: try Self.lyon(), audit: Self.audit
            )
            #expect(chosen.code.text == "lyon-2")
            await #expect(throws: CommitteeProblem.codeTaken) {
                try await test.store.createCommittee(petitionID: petition.id, code: CommitteeCode("LYON-2"), details: try Self.lyon(), audit: Self.audit)
            }
            await #expect(throws: StoreError.self) {
                try await test.store.createCommittee(petitionID: 999, code: nil, details: try Self.lyon(), audit: Self.audit)
            }
            #expect(try await Self.committeeCount(test) == 2)
            let audited = try await test.store.auditLog(limit: 10).filter { $0.action == "committee.created" }
            #expect(audited.count == 2)
        }
    }

    @Test("a signature is credited to its committee only once confirmed, and leaves the committee's count when withdrawn")
    func credit() async throws {
        try await TestStore.with { test in
            let petition = try await test.petition()
            let committee = try await test.store.createCommittee(petitionID: petition.id, code: nil, details: try Self.lyon(), audit: Self.audit)
            let writer = test.store.signatureWriter
            for (email, country) in [("a@example.org", "FR"), ("b@example.org", "AM"), ("c@example.org", "FR")] {
                var request = try await test.request(email: email, country: country)
                request.committeeID = committee.id
                _ = try await writer.sign(request)
            }
            _ = try await writer.sign(try await test.request(email: "elsewhere@example.org"))
            #expect(test.store.liveCounts.counts(forPetition: petition.id).byCommittee[committee.id] == nil)

            for email in ["a@example.org", "b@example.org", "elsewhere@example.org"] {
                _ = try await writer.confirm(try #require(try await test.confirmationToken(for: email)))
            }
            var counts = test.store.liveCounts.counts(forPetition: petition.id)
            #expect(counts.confirmed == 2 + 1)
            #expect(counts.byCommittee == [committee.id: 2])
            #expect(try await test.store.storedCounts(petitionID: petition.id) == counts)
            #expect(try await test.store.recount(petitionID: petition.id).byCommittee == counts.byCommittee)

            let activity = try await test.store.committeeActivity(id: committee.id)
            #expect(activity.confirmed == 2)
            #expect(activity.byCountry == ["FR": 1, "AM": 1])
            #expect(activity.pending == 1)
            #expect(activity.confirmedByDay.map(\.count) == [2])
            #expect(activity.confirmedByDay.first.map { TallyDay($0.day) } == TallyDay(test.clock.now))

            let id = try #require(try await test.store.signatureID(petitionID: petition.id, email: EmailAddress("b@example.org")))
            _ = try await writer.revise(.withdraw(signatureID: id))
            counts = test.store.liveCounts.counts(forPetition: petition.id)
            #expect(counts.byCommittee == [committee.id: 1])
            #expect(try await test.store.recount(petitionID: petition.id).byCommittee == counts.byCommittee)
            #expect(try await test.store.committeeActivity(id: committee.id).byCountry == ["FR": 1])
        }
    }

    @Test("signing again without a referral keeps the committee the first signature came through")
    func creditKept() async throws {
        try await TestStore.with { test in
            let petition = try await test.petition()
            let committee = try await test.store.createCommittee(petitionID: petition.id, code: nil, details: try Self.lyon(), audit: Self.audit)
            var request = try await test.request(email: "again@example.org")
            request.committeeID = committee.id
            _ = try await test.store.signatureWriter.sign(request)
            test.clock.advance(by: 3600)
            _ = try await test.store.signatureWriter.sign(try await test.request(email: "again@example.org"))
            _ = try await test.store.signatureWriter.confirm(try #require(try await test.confirmationToken(for: "again@example.org")))
            #expect(test.store.liveCounts.counts(forPetition: petition.id).byCommittee == [committee.id: 1])
        }
    }

    @Test("changing a committee keeps its code and petition and is audited")
    func update() async throws {
        try await TestStore.with { test in
            let petition = try await test.petition()
            let committee = try await test.store.createCommittee(petitionID: petition.id, code: nil, details: try Self.lyon(), audit: Self.audit)
            let changed = try CommitteeDetails.checked(
                name: "Comité de Lyon", city: "Villeurbanne", country: "FR", contact: "", languages: ["fr"], goal: "", shownInLeague: false
            )
            let updated = try await test.store.updateCommittee(id: committee.id, details: changed, audit: Self.audit)
            #expect(updated.code == committee.code)
            #expect(updated.details == changed)
            #expect(try await test.store.committee(id: committee.id)?.details == changed)
            await #expect(throws: StoreError.self) {
                try await test.store.updateCommittee(id: 999, details: changed, audit: Self.audit)
            }
            #expect(try await test.store.auditLog(limit: 10).contains { $0.action == "committee.changed" })
        }
    }
}
