import Foundation
import SQLKit
import Testing
import VigilCore
import VigilTestSupport
@testable import VigilStore

@Suite("Signature writer", .onBothDatabases)
struct SignatureWriterTests {
    @Test("signing queues a confirmation; confirming counts the signature once and numbers it")
    func signAndConfirm() async throws {
        try await TestStore.with { test in
            let petition = try await test.petition()
            let writer = test.store.signatureWriter

            let outcome = try await writer.sign(try await test.request(email: "Ani.Hakobyan@example.org"))
            #expect(outcome == .confirmationQueued)
            #expect(test.store.liveCounts.counts(forPetition: petition.id).confirmed == 0)
            let token = try #require(try await test.confirmationToken(for: "Ani.Hakobyan@example.org"))

            let standing = try await test.store.signatureStanding(token: token)
            #expect(standing?.status == .pending)
            #expect(standing?.linkExpired == false)

            #expect(try await writer.confirm(token) == .confirmed(petitionID: petition.id, signerNumber: 1))
            #expect(try await writer.confirm(token) == .alreadyConfirmed(petitionID: petition.id, signerNumber: 1))

            let counts = test.store.liveCounts.counts(forPetition: petition.id)
            #expect(counts.confirmed == 1)
            #expect(counts.byCountry == ["FR": 1])
            #expect(try await test.store.storedCounts(petitionID: petition.id) == counts)
            #expect(try await test.store.signatureStanding(token: token)?.signerNumber == 1)
        }
    }

    @Test("a link of the earlier, all-random form still confirms its signature")
    func earlierLink() async throws {
        try await TestStore.with { test in
            let petition = try await test.petition()
            let writer = test.store.signatureWriter
            _ = try await writer.sign(try await test.request(email: "sose.mayrig@example.org"))
            let issued = try #require(try await test.confirmationToken(for: "sose.mayrig@example.org"))
            #expect(issued.text.count == 48)
            let earlier = try #require(ConfirmationToken(link: Base64URL.encode(SystemRandomSource().bytes(32))))
            try await test.store.write { database in
                try await database.raw(
                    "UPDATE signatures SET token_hash = \(bind: earlier.hash) WHERE token_hash = \(bind: issued.hash)"
                ).run()
            }

            #expect(try await writer.confirm(issued) == .unknown)
            #expect(try await writer.confirm(earlier) == .confirmed(petitionID: petition.id, signerNumber: 1))
        }
    }

    @Test("a signer's details sealed without JSONEncoder open to the same details, missing parts missing")
    func signerDetailsSealed() throws {
        let cipher = PersonalDataCipher(masterKey: Array(repeating: 5, count: 32))
        for details in [
            SignerDetails(name: "Սոսե \"Մայրիկ\"", email: "sose@example.am", city: "Gyumri\nShirak", comment: "back\\slash\u{1}"),
            SignerDetails(name: "Ани", email: "ani@example.org", city: nil, comment: nil),
        ] {
            let opened = try cipher.open(json: SignerDetails.self, from: cipher.seal(json: details))
            #expect(opened == details)
            // The members carry the coding keys, and a missing part is left out rather than written as null.
            let written = try #require(try JSONSerialization.jsonObject(with: Data(details.flatJSON)) as? [String: String])
            #expect(Set(written.keys) == (details.city == nil ? ["name", "email"] : ["name", "email", "city", "comment"]))
        }
    }

    @Test("signatures count on the day they were confirmed, and a withdrawal takes one off that day, not the day it happens")
    func dailyCounts() async throws {
        try await TestStore.with { test in
            let petition = try await test.petition()
            let writer = test.store.signatureWriter
            let firstDay = Int64(TallyDay(test.clock.now).daysSince1970)
            for email in ["monday@example.org", "also-monday@example.org"] {
                _ = try await writer.sign(try await test.request(email: email))
                _ = try await writer.confirm(try #require(try await test.confirmationToken(for: email)))
            }
            test.clock.advance(by: 86_400)
            _ = try await writer.sign(try await test.request(email: "tuesday@example.org"))
            _ = try await writer.confirm(try #require(try await test.confirmationToken(for: "tuesday@example.org")))
            #expect(test.store.liveCounts.counts(forPetition: petition.id).byDay == [firstDay: 2, firstDay + 1: 1])

            let id = try #require(try await test.store.signatureID(petitionID: petition.id, email: EmailAddress("monday@example.org")))
            _ = try await writer.revise(.withdraw(signatureID: id))
            let counts = test.store.liveCounts.counts(forPetition: petition.id)
            #expect(counts.byDay == [firstDay: 1, firstDay + 1: 1])
            #expect(try await test.store.recount(petitionID: petition.id).byDay == counts.byDay)
            #expect(try await test.store.storedCounts(petitionID: petition.id) == counts)
        }
    }

    @Test("an address signing again is never counted twice, and is told it already signed")
    func duplicateAddress() async throws {
        try await TestStore.with { test in
            let petition = try await test.petition()
            let writer = test.store.signatureWriter

            #expect(try await writer.sign(try await test.request(email: "jane.doe+osce@gmail.com")) == .confirmationQueued)
            let token = try #require(try await test.confirmationToken(for: "jane.doe+osce@gmail.com"))
            #expect(try await writer.confirm(token) == .confirmed(petitionID: petition.id, signerNumber: 1))

            // Same mailbox, written differently, straight away: nothing more is sent.
            #expect(try await writer.sign(try await test.request(email: "JaneDoe@googlemail.com")) == .mailSuppressed)
            // Later, the owner of the address is told it already signed.
            test.clock.advance(by: 3600)
            #expect(try await writer.sign(try await test.request(email: "JaneDoe@googlemail.com")) == .alreadySignedNoticeQueued)
            let notices = try await test.store.unsentMail().filter { $0.kind == .alreadySigned }
            // Mail goes to the address as typed; only duplicate detection uses the normalised form.
            #expect(notices.map(\.recipient) == ["JaneDoe@googlemail.com"])

            let recount = try await test.store.recount(petitionID: petition.id)
            #expect(recount.confirmed == 1 && recount.pending == 0)
            #expect(test.store.liveCounts.counts(forPetition: petition.id).confirmed == 1)
        }
    }

    @Test("signing again before confirming sends a new link and retires the old one")
    func pendingResubmission() async throws {
        try await TestStore.with { test in
            let writer = test.store.signatureWriter
            _ = try await writer.sign(try await test.request(email: "late@example.org", name: "First Typo"))
            let first = try #require(try await test.confirmationToken(for: "late@example.org"))
            test.clock.advance(by: 3600)
            #expect(try await writer.sign(try await test.request(email: "late@example.org", name: "Right Name")) == .confirmationQueued)
            let second = try #require(try await test.confirmationToken(for: "late@example.org"))
            #expect(first != second)
            #expect(try await writer.confirm(first) == .unknown)
            guard case .confirmed = try await writer.confirm(second) else {
                Issue.record("the newest link did not confirm")
                return
            }
            #expect(try await test.store.recount(petitionID: test.petition().id).confirmed == 1)
        }
    }

    @Test("an expired link does not confirm, and signing again gives a working one")
    func expiredLink() async throws {
        try await TestStore.with(settings: SigningSettings(confirmationLifetime: .seconds(3600))) { test in
            let petition = try await test.petition()
            let writer = test.store.signatureWriter
            _ = try await writer.sign(try await test.request(email: "slow@example.org"))
            let token = try #require(try await test.confirmationToken(for: "slow@example.org"))
            test.clock.advance(by: 3601)
            #expect(try await test.store.signatureStanding(token: token)?.linkExpired == true)
            #expect(try await writer.confirm(token) == .expired(petitionID: petition.id))
            #expect(test.store.liveCounts.counts(forPetition: petition.id).confirmed == 0)

            #expect(try await writer.sign(try await test.request(email: "slow@example.org")) == .confirmationQueued)
            let fresh = try #require(try await test.confirmationToken(for: "slow@example.org"))
            #expect(try await writer.confirm(fresh) == .confirmed(petitionID: petition.id, signerNumber: 1))
        }
    }

    @Test("a held signature is stored, not counted and not mailed; a later clean one is sent for confirmation")
    func heldSignature() async throws {
        try await TestStore.with { test in
            let petition = try await test.petition()
            let writer = test.store.signatureWriter
            #expect(try await writer.sign(try await test.request(email: "bot@example.org", hold: .honeypot)) == .held(.honeypot))
            #expect(try await test.store.unsentMail().isEmpty)
            var counts = test.store.liveCounts.counts(forPetition: petition.id)
            #expect(counts.held == 1 && counts.confirmed == 0)

            #expect(try await writer.sign(try await test.request(email: "bot@example.org")) == .confirmationQueued)
            counts = test.store.liveCounts.counts(forPetition: petition.id)
            #expect(counts.held == 0)
            #expect(try await test.store.recount(petitionID: petition.id).pending == 1)
        }
    }

    @Test("personal data is stored encrypted: no name or address appears in the database")
    func personalDataEncrypted() async throws {
        try await TestStore.with(durability: .full) { test in
            _ = try await test.store.signatureWriter.sign(
                try await test.request(email: "secret.signer@example.org", name: "Zabel Yesayan")
            )
            var bytes = Data()
            switch test.location {
            case .sqlite(let path):
                await test.store.close()
                for suffix in ["", "-wal"] {
                    bytes += (try? Data(contentsOf: URL(fileURLWithPath: path + suffix))) ?? Data()
                }
            case .postgres:
                // Every row of every table as text; binary columns read as hex, so look for the hex too.
                let tables = try await test.store.reader.raw(
                    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()"
                ).all().map { try $0.decode(column: "name", as: String.self) }
                #expect(tables.contains("signatures") && tables.contains("outbox"))
                for table in tables {
                    for row in try await test.store.reader.raw("SELECT t::text AS row FROM \(ident: table) AS t").all() {
                        bytes += Data(try row.decode(column: "row", as: String.self).utf8)
                    }
                }
            }
            #expect(!bytes.isEmpty)
            for secret in ["secret.signer", "Zabel"] {
                #expect(bytes.range(of: Data(secret.utf8)) == nil)
                #expect(bytes.range(of: Data(secret.utf8.map { String(format: "%02x", $0) }.joined().utf8)) == nil)
            }
        }
    }

    @Test("500 concurrent signatures give exactly 500 rows, and counters equal a recount after confirming")
    func concurrentSigning() async throws {
        try await TestStore.with { test in
            let petition = try await test.petition()
            let writer = test.store.signatureWriter
            let countries = ["AM", "FR", "US", "RU", "DE", "LB", "CA", "GE"]
            let requests = try await (0..<500).asyncMap { index in
                try await test.request(email: "signer\(index)@example.org", country: countries[index % countries.count])
            }

            let outcomes = try await withThrowingTaskGroup(of: SigningOutcome.self) { group in
                for request in requests { group.addTask { try await writer.sign(request) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.count == 500)
            #expect(outcomes.allSatisfy { $0 == .confirmationQueued })
            #expect(try await test.store.recount(petitionID: petition.id).pending == 500)

            let tokens = try await test.store.unsentMail().compactMap { $0.fields["token"].flatMap(ConfirmationToken.init(link:)) }
            #expect(tokens.count == 500)
            let numbers = try await withThrowingTaskGroup(of: Int?.self) { group in
                for token in tokens {
                    group.addTask {
                        if case .confirmed(_, let number) = try await writer.confirm(token) { return number }
                        return nil
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(Set(numbers.compactMap { $0 }) == Set(1...500))

            let recount = try await test.store.recount(petitionID: petition.id)
            let stored = try await test.store.storedCounts(petitionID: petition.id)
            #expect(recount.confirmed == 500)
            #expect(stored.confirmed == 500)
            #expect(stored.byCountry == recount.byCountry)
            #expect(test.store.liveCounts.counts(forPetition: petition.id) == stored)
        }
    }

    @Test("a read issued right after a commit sees it, under concurrent load")
    func readAfterCommit() async throws {
        try await TestStore.with { test in
            let writer = test.store.signatureWriter
            let requests = try await (0..<200).asyncMap { try await test.request(email: "reader\($0)@example.org") }
            for request in requests { _ = try await writer.sign(request) }
            let tokens = try await test.store.unsentMail().compactMap { $0.fields["token"].flatMap(ConfirmationToken.init(link:)) }

            let misses = try await withThrowingTaskGroup(of: Int.self) { group in
                for token in tokens {
                    group.addTask {
                        _ = try await writer.confirm(token)
                        // The very next read, on any reader connection, must see the commit.
                        let standing = try await test.store.signatureStanding(token: token)
                        return standing?.status == .confirmed ? 0 : 1
                    }
                }
                return try await group.reduce(0, +)
            }
            #expect(misses == 0)
        }
    }

    @Test("requests sent after the writer stopped are refused, never left waiting")
    func stoppedWriter() async throws {
        try await TestStore.with { test in
            test.store.signatureWriter.stopAccepting()
            await #expect(throws: StoreError.self) {
                try await test.store.signatureWriter.sign(try await test.request(email: "late@example.org"))
            }
        }
    }
}

extension Sequence {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
