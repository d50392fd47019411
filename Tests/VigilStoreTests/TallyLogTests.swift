import Foundation
import SQLKit
import Testing
import VigilCore
import VigilTestSupport
@testable import VigilStore

extension TestStore {
    /// Signs with an address and presses its confirmation link; returns the link's token.
    @discardableResult
    func signAndConfirm(_ email: String, country: String = "FR") async throws -> ConfirmationToken {
        _ = try await store.signatureWriter.sign(try await request(email: email, country: country))
        let token = try #require(try await confirmationToken(for: email))
        _ = try await store.signatureWriter.confirm(token)
        return token
    }

    /// Every entry of the campaign petition's log, decoded.
    func logEntries() async throws -> [TallyEntry] {
        let petitionID = try await petition().id
        let size = try await store.tallySize(petitionID: petitionID)
        return try await store.tallyEntries(petitionID: petitionID, range: 0..<size).map { try TallyEntry(bytes: $0.bytes) }
    }

    /// Checks that the log's count, the stored counters, the in-memory counts and a recount of
    /// the rows all agree, in total and by country.
    func expectLogMatchesCounters(sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let petitionID = try await petition().id
        let totals = try TallyTotals.of(try await logEntries())
        let stored = try await store.storedCounts(petitionID: petitionID)
        let recount = try await store.recount(petitionID: petitionID)
        #expect(totals.counted == stored.confirmed, sourceLocation: sourceLocation)
        #expect(totals.counted == recount.confirmed, sourceLocation: sourceLocation)
        #expect(totals.counted == store.liveCounts.counts(forPetition: petitionID).confirmed, sourceLocation: sourceLocation)
        #expect(totals.byCountry == stored.byCountry.filter { $0.value != 0 }, sourceLocation: sourceLocation)
        #expect(totals.byCountry == recount.byCountry, sourceLocation: sourceLocation)
    }

    func signatureID(_ email: String) async throws -> Int64 {
        try #require(try await store.signatureID(petitionID: petition().id, email: EmailAddress(email)))
    }
}

@Suite("Tally log", .onBothDatabases)
struct TallyLogTests {
    static let key = (try? TallyLogKey(rawRepresentation: [UInt8](repeating: 5, count: 32)))

    @Test("each confirmation appends one entry in confirmation order, with a receipt that proves it")
    func confirmAppends() async throws {
        try await TestStore.with { test in
            let petition = try await test.petition()
            try await test.signAndConfirm("first@example.org", country: "AM")
            let token = try await test.signAndConfirm("Second.Signer+osce@gmail.com", country: "FR")
            // Pending signatures are not in the log.
            _ = try await test.store.signatureWriter.sign(try await test.request(email: "pending@example.org"))

            let entries = try await test.logEntries()
            #expect(entries.count == 2)
            guard case .addition(let first) = entries[0], case .addition(let second) = entries[1] else {
                Issue.record("entries are not additions: \(entries)")
                return
            }
            #expect(first.country == "AM" && second.country == "FR")
            #expect(second.channel == .online && second.textHash.hexString == TestStore.textHash)
            #expect(second.day == TallyDay(test.clock.now))

            let receipt = try #require(try await test.store.receipt(token: token))
            #expect(receipt.leafIndex == 1)
            #expect(receipt.leafHash == entries[1].leafHash)
            // The commitment is over the normalised address: the receipt's nonce ties it to the signer.
            #expect(second.commitment == TallyEntry.commitment(
                nonce: receipt.nonce, normalisedEmail: try EmailAddress("Second.Signer+osce@gmail.com").normalised, petitionID: petition.id
            ))
            let mail = try #require(try await test.store.unsentMail().last { $0.kind == .signatureReceipt })
            #expect(mail.recipient == "Second.Signer+osce@gmail.com")
            #expect(mail.fields["leaf_hash"] == receipt.leafHash.hex && mail.fields["nonce"] == receipt.nonce.hexString)
            #expect(mail.fields["leaf_index"] == "1")

            // The stored complete subtrees give the same root and proofs as the entries themselves.
            let hashes = entries.map(\.leafHash)
            #expect(try await test.store.tallyRoot(petitionID: petition.id, size: 2) == MerkleTree.root(ofLeafHashes: hashes[...]))
            let proof = try await test.store.inclusionProof(petitionID: petition.id, leafIndex: 1, size: 2)
            #expect(proof == (try MerkleTree.inclusionProof(index: 1, leafHashes: hashes)))
            #expect(try await test.store.tallyLeafIndex(petitionID: petition.id, leafHash: receipt.leafHash) == 1)
            try await test.expectLogMatchesCounters()
        }
    }

    @Test("a withdrawal takes the signature out of the count with a revocation entry; signing again counts it again")
    func withdraw() async throws {
        try await TestStore.with { test in
            try await test.signAndConfirm("stays@example.org")
            try await test.signAndConfirm("leaves@example.org", country: "AM")
            let id = try await test.signatureID("leaves@example.org")
            let writer = test.store.signatureWriter

            #expect(try await writer.revise(.withdraw(signatureID: id)) == .revised(entries: 1))
            #expect(try await writer.revise(.withdraw(signatureID: id)) == .notCounted)
            #expect(try await writer.revise(.withdraw(signatureID: 999_999)) == .notCounted)
            var entries = try await test.logEntries()
            #expect(entries.count == 3)
            #expect(entries.last == .revocation(TallyEntry.Revocation(reason: .withdrawn, day: TallyDay(test.clock.now), leafIndex: 1)))
            #expect(try TallyTotals.of(entries).counted == 1)
            try await test.expectLogMatchesCounters()

            // Signing again later sends a new link; confirming it adds a new entry.
            test.clock.advance(by: 3600)
            #expect(try await writer.sign(try await test.request(email: "leaves@example.org", country: "AM")) == .confirmationQueued)
            let token = try #require(try await test.confirmationToken(for: "leaves@example.org"))
            guard case .confirmed(_, let number) = try await writer.confirm(token) else {
                Issue.record("signing again after withdrawing did not confirm")
                return
            }
            // Numbers follow the log's additions, so none is given twice.
            #expect(number == 3)
            entries = try await test.logEntries()
            #expect(entries.count == 4)
            #expect(try TallyTotals.of(entries).counted == 2)
            try await test.expectLogMatchesCounters()
        }
    }

    @Test("invalidation and its undoing change the count, and bad requests change nothing")
    func invalidate() async throws {
        try await TestStore.with { test in
            let petition = try await test.petition()
            try await test.signAndConfirm("a@example.org")
            try await test.signAndConfirm("b@example.org", country: "AM")
            try await test.signAndConfirm("c@example.org", country: "AM")
            _ = try await test.store.signatureWriter.sign(try await test.request(email: "pending@example.org"))
            let a = try await test.signatureID("a@example.org")
            let b = try await test.signatureID("b@example.org")
            let pending = try await test.signatureID("pending@example.org")
            let writer = test.store.signatureWriter
            let sizeBefore = try await test.store.tallySize(petitionID: petition.id)
            let countsBefore = try await test.store.storedCounts(petitionID: petition.id)

            let bad: [(SignatureRevision, String)] = [
                (.invalidate(signatureIDs: [], reason: "duplicate"), "name at least one"),
                (.invalidate(signatureIDs: [a], reason: "  "), "give a reason"),
                (.invalidate(signatureIDs: [a, a], reason: "duplicate"), "more than once"),
                (.invalidate(signatureIDs: [a], reason: String(repeating: "x", count: 501)), "longer than 500"),
                (.invalidate(signatureIDs: [a, 424_242], reason: "duplicate"), "no signature has id 424242"),
                (.invalidate(signatureIDs: [a, pending], reason: "duplicate"), "is pending, not counted"),
                (.undoInvalidation(signatureIDs: [a]), "is counted, not invalidated"),
            ]
            for (revision, message) in bad {
                let error = await #expect(throws: StoreError.self) { try await writer.revise(revision) }
                #expect(error?.description.contains(message) == true, "\(String(describing: error)) should say \(message)")
            }
            #expect(try await test.store.tallySize(petitionID: petition.id) == sizeBefore)
            #expect(try await test.store.storedCounts(petitionID: petition.id).confirmed == countsBefore.confirmed)

            #expect(try await writer.revise(.invalidate(signatureIDs: [a, b], reason: "same person, two addresses")) == .revised(entries: 2))
            #expect(try await test.store.storedCounts(petitionID: petition.id).confirmed == 1)
            try await test.expectLogMatchesCounters()
            // An invalidated address signing again is neither counted nor mailed.
            test.clock.advance(by: 3600)
            #expect(try await writer.sign(try await test.request(email: "a@example.org")) == .mailSuppressed)

            #expect(try await writer.revise(.undoInvalidation(signatureIDs: [b])) == .revised(entries: 1))
            let entries = try await test.logEntries()
            #expect(entries.count == 6)
            #expect(entries.last == .reinstatement(TallyEntry.Reinstatement(day: TallyDay(test.clock.now), leafIndex: 1)))
            #expect(try await test.store.storedCounts(petitionID: petition.id).byCountry == ["FR": 0, "AM": 2])
            try await test.expectLogMatchesCounters()
        }
    }

    @Test("under concurrent signing, confirming, withdrawing and invalidating, the log's count equals the counters")
    func concurrent() async throws {
        try await TestStore.with { test in
            let countries = ["FR", "AM", "DE", "US"]
            let emails = (0..<60).map { "signer\($0)@example.org" }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (offset, email) in emails.enumerated() {
                    group.addTask { try await test.signAndConfirm(email, country: countries[offset % countries.count]) }
                }
                try await group.waitForAll()
            }
            let ids = try await emails.asyncMap { try await test.signatureID($0) }
            let writer = test.store.signatureWriter
            try await withThrowingTaskGroup(of: Void.self) { group in
                for id in ids[0..<15] {
                    group.addTask { _ = try await writer.revise(.withdraw(signatureID: id)) }
                }
                group.addTask { _ = try await writer.revise(.invalidate(signatureIDs: Array(ids[20..<30]), reason: "test")) }
                for email in (60..<80).map({ "late\($0)@example.org" }) {
                    group.addTask { try await test.signAndConfirm(email, country: "AM") }
                }
                try await group.waitForAll()
            }
            _ = try await writer.revise(.undoInvalidation(signatureIDs: Array(ids[20..<25])))
            let petition = try await test.petition()
            #expect(try await test.store.storedCounts(petitionID: petition.id).confirmed == 80 - 15 - 5)
            #expect(try await test.store.tallySize(petitionID: petition.id) == 80 + 15 + 10 + 5)
            try await test.expectLogMatchesCounters()
            let hashes = try await test.logEntries().map(\.leafHash)
            #expect(try await test.store.tallyRoot(petitionID: petition.id, size: UInt64(hashes.count)) == MerkleTree.root(ofLeafHashes: hashes[...]))
        }
    }

    @Test("tree heads are signed over the stored root, and a later head is provably consistent with an earlier one")
    func treeHeads() async throws {
        let key = try #require(Self.key)
        try await TestStore.with { test in
            let petition = try await test.petition()
            let empty = try await test.store.signTreeHead(petitionID: petition.id, key: key)
            #expect(empty.head.size == 0 && empty.head.root == MerkleTree.emptyRoot && empty.isSigned(by: key.publicKey))
            for index in 0..<5 { try await test.signAndConfirm("early\(index)@example.org") }
            let first = try await test.store.signTreeHead(petitionID: petition.id, key: key)
            test.clock.advance(by: 60)
            // Nothing new: the same head.
            #expect(try await test.store.signTreeHead(petitionID: petition.id, key: key) == first)
            for index in 0..<6 { try await test.signAndConfirm("later\(index)@example.org") }
            let second = try await test.store.signTreeHead(petitionID: petition.id, key: key)
            #expect(second.head.size == 11 && second.isSigned(by: key.publicKey))
            #expect(second.head.log == "osce-moscow-mechanism")
            #expect(try await test.store.latestTreeHead(petitionID: petition.id) == second)
            let proof = try await test.store.consistencyProof(petitionID: petition.id, first: 5, second: 11)
            try MerkleTree.verifyConsistency(first: 5, second: 11, firstRoot: first.head.root, secondRoot: second.head.root, proof: proof)
        }
    }

    @Test("signatures confirmed before the log existed are added to it when the store opens")
    func backfill() async throws {
        let test = try await TestStore.make()
        try await test.signAndConfirm("old1@example.org")
        try await test.signAndConfirm("old2@example.org", country: "AM")
        // As a database from before the log: no entries, no leaves.
        let database = test.store.connections.otherWrites
        for statement: SQLQueryString in [
            "DELETE FROM tally_entries", "DELETE FROM tally_nodes", "DELETE FROM tally_logs",
            "UPDATE signatures SET tally_leaf = NULL, receipt_nonce = NULL",
        ] {
            try await database.raw(statement).run()
        }
        test.store.signatureWriter.stopAccepting()
        _ = try? await test.writerTask.value
        await test.store.close()

        let reopened = try await test.open()
        let petitionID = try #require(try await reopened.petition(slug: "osce-moscow-mechanism")).id
        let size = try await reopened.tallySize(petitionID: petitionID)
        let entries = try await reopened.tallyEntries(petitionID: petitionID, range: 0..<size).map { try TallyEntry(bytes: $0.bytes) }
        #expect(try TallyTotals.of(entries).counted == 2)
        #expect(try TallyTotals.of(entries).byCountry == ["FR": 1, "AM": 1])
        await reopened.close()
        try? FileManager.default.removeItem(at: test.folder)
    }

    @Test("the log key is created once, owner-only, beside the master key, and a damaged key file is refused")
    func logKeyFile() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-key-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = DataFolder(url: root)
        try folder.prepare()
        let (key, created) = try folder.loadOrCreateLogKey()
        #expect(created)
        #expect(folder.logKeyFile.deletingLastPathComponent() == folder.masterKeyFile.deletingLastPathComponent())
        let mode = try FileManager.default.attributesOfItem(atPath: folder.logKeyFile.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let (again, createdAgain) = try folder.loadOrCreateLogKey()
        #expect(!createdAgain && again.publicKey == key.publicKey)
        try Data("not a key\n".utf8).write(to: folder.logKeyFile)
        #expect(throws: StoreError.self) { try folder.loadOrCreateLogKey() }
    }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
