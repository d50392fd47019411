import Foundation
import SQLKit
import Testing
import VigilCore
import VigilTestSupport
@testable import VigilStore

@Suite("Seeding made-up signatures for benchmarks", .onBothDatabases)
struct SeedingTests {
    @Test("seeded signatures are counted, numbered and logged as confirmed ones are, over several batches")
    func seeded() async throws {
        try await TestStore.with { test in
            let petition = try await test.petition()
            try await test.signAndConfirm("real.signer@example.org", country: "AM")

            let report = try await test.store.seedConfirmedSignatures(1200, petitionSlug: petition.slug, over: 30, batchSize: 500)
            #expect(report == SeedReport(added: 1200, confirmed: 1201, logSize: 1201))
            try await test.expectLogMatchesCounters()

            // Signer numbers follow the real one, without gaps or repeats.
            let numbers = try #require(try await test.store.reader.raw(
                "SELECT COUNT(DISTINCT signer_number) AS n, MIN(signer_number) AS low, MAX(signer_number) AS high FROM signatures"
            ).first())
            #expect(try numbers.decode(column: "n", as: Int.self) == 1201)
            #expect(try numbers.decode(column: "low", as: Int.self) == 1)
            #expect(try numbers.decode(column: "high", as: Int.self) == 1201)

            // The stored root is the root of the entries, and the entries' days never go back.
            let entries = try await test.store.tallyEntries(petitionID: petition.id, range: 0..<1201)
            let root = try await test.store.tallyRoot(petitionID: petition.id, size: 1201)
            #expect(root == MerkleTree.root(ofLeafHashes: entries.map { MerkleTree.leafHash($0.bytes) }[...]))
            let days = try entries.dropFirst().map { entry -> TallyDay in
                guard case .addition(let addition) = try TallyEntry(bytes: entry.bytes) else { throw StoreError.notFound("an addition") }
                return addition.day
            }
            #expect(days == days.sorted())

            // Each seeded signature's receipt nonce and address make the commitment in its entry.
            for row in try await test.store.reader.raw(
                "SELECT personal_data, receipt_nonce, tally_leaf FROM signatures WHERE signer_number IN (2, 600, 1201)"
            ).all() {
                let details = try test.store.cipher.open(json: SignerDetails.self, from: Array(try row.decode(column: "personal_data", as: Data.self)))
                let nonce = try test.store.cipher.open(Array(try row.decode(column: "receipt_nonce", as: Data.self)))
                let entry = try TallyEntry(bytes: entries[try row.decode(column: "tally_leaf", as: Int.self)].bytes)
                guard case .addition(let addition) = entry else {
                    Issue.record("leaf of \(details.email) is not an addition")
                    continue
                }
                let commitment = TallyEntry.commitment(nonce: nonce, normalisedEmail: try EmailAddress(details.email).normalised, petitionID: petition.id)
                #expect(addition.commitment == commitment)
                #expect(details.email.hasSuffix(".example"))
            }
        }
    }

    @Test("seeding again continues the numbering with new addresses")
    func again() async throws {
        try await TestStore.with { test in
            let slug = try await test.petition().slug
            _ = try await test.store.seedConfirmedSignatures(300, petitionSlug: slug)
            let report = try await test.store.seedConfirmedSignatures(200, petitionSlug: slug)
            #expect(report == SeedReport(added: 200, confirmed: 500, logSize: 500))
            try await test.expectLogMatchesCounters()
        }
    }

    @Test("two in five seeded signatures are credited to the committees in turn, and the days add up to the count")
    func committeesAndDays() async throws {
        try await TestStore.with { test in
            let petition = try await test.petition()
            var ids: [Int64] = []
            for city in ["Lyon", "Yerevan"] {
                let details = try CommitteeDetails.checked(
                    name: "Committee \(city)", city: city, country: "FR", contact: "", languages: ["fr"], goal: "", shownInLeague: true
                )
                ids.append(try await test.store.createCommittee(
                    petitionID: petition.id, code: nil, details: details, audit: AuditRecord(staffID: nil, actor: "test", action: "")
                ).id)
            }
            _ = try await test.store.seedConfirmedSignatures(1000, petitionSlug: petition.slug, over: 10, committees: ids, batchSize: 300)
            let counts = try await test.store.storedCounts(petitionID: petition.id)
            #expect(counts.byCommittee == [ids[0]: 200, ids[1]: 200])
            #expect(counts.byDay.values.reduce(0, +) == 1000)
            #expect(counts.byDay.count >= 10)
            let recount = try await test.store.recount(petitionID: petition.id)
            #expect(recount.byCommittee == counts.byCommittee)
            #expect(recount.byDay == counts.byDay)
        }
    }

    @Test("a count below 1, a day count below 1 or an unknown petition is refused and changes nothing")
    func refused() async throws {
        try await TestStore.with { test in
            let slug = try await test.petition().slug
            _ = try await test.store.seedConfirmedSignatures(10, petitionSlug: slug)
            await #expect(throws: StoreError.self) { try await test.store.seedConfirmedSignatures(0, petitionSlug: slug) }
            await #expect(throws: StoreError.self) { try await test.store.seedConfirmedSignatures(5, petitionSlug: slug, over: 0) }
            await #expect(throws: StoreError.self) { try await test.store.seedConfirmedSignatures(5, petitionSlug: "no-such-petition") }
            let counts = try await test.store.storedCounts(petitionID: test.petition().id)
            #expect(counts.confirmed == 10)
            #expect(try await test.store.tallySize(petitionID: test.petition().id) == 10)
        }
    }
}
