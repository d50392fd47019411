import Foundation
import Testing
import VigilCore
import VigilTestSupport
@testable import VigilStore

@Suite("Privacy", .onBothDatabases)
struct PrivacyTests {
    static func closedPetition(_ test: TestStore) async throws -> Petition {
        let petition = try await test.petition()
        try await test.store.setState(petitionID: petition.id, to: .closed, audit: AuditRecord(staffID: nil, actor: "test", action: "t"))
        return petition
    }

    @Test("retention erases personal data of closed petitions after the set days; the count stays")
    func retention() async throws {
        try await TestStore.with { test in
            let request = try await test.request(email: "kept.then.gone@example.org", name: "Hasmik Avetisyan")
            _ = try await test.store.signatureWriter.sign(request)
            let token = try #require(try await test.confirmationToken(for: "kept.then.gone@example.org"))
            _ = try await test.store.signatureWriter.confirm(token)
            let petition = try await Self.closedPetition(test)

            test.clock.advance(by: 89 * 86_400)
            #expect(try await test.store.purgePersonalData(days: 90, clientHashDays: 7, actor: "test").erasedSignatures == 0)
            test.clock.advance(by: 2 * 86_400)
            #expect(try await test.store.purgePersonalData(days: 90, clientHashDays: 7, actor: "test").erasedSignatures == 1)

            let records = try await test.store.signatures(email: EmailAddress("kept.then.gone@example.org"))
            #expect(records.isEmpty, "the blind index is released")
            #expect(try await test.store.recount(petitionID: petition.id).confirmed == 1)
            #expect(test.store.liveCounts.counts(forPetition: petition.id).confirmed == 1)
            #expect(try await test.store.purgePersonalData(days: 90, clientHashDays: 7, actor: "test").erasedSignatures == 0)
            #expect(try await test.store.auditLog(limit: 5).contains { $0.action == "privacy.purged" })
        }
    }

    @Test("erasing a signer's personal data deletes their e-mails, sent or waiting; other signers' stay; the retention rule does the same")
    func erasureReachesTheOutbox() async throws {
        try await TestStore.with { test in
            let store = test.store
            _ = try await store.signatureWriter.sign(try await test.request(email: "forgotten@example.org"))
            _ = try await store.signatureWriter.sign(try await test.request(email: "stays@example.org"))
            // The confirmation request goes out; the receipt that confirming queues is still waiting.
            let requests = try await store.claimDueMail(limit: 10, lease: .seconds(60))
            try await store.recordMail(requests.map { .sent(id: $0.id) })
            let link = try #require(requests.first { $0.recipient == "forgotten@example.org" }?.fields["token"])
            _ = try await store.signatureWriter.confirm(try #require(ConfirmationToken(link: link)))
            let recipients = { try await store.outboxEntries(limit: 10).map(\.maskedRecipient).sorted() }
            #expect(try await recipients() == ["f…@example.org", "f…@example.org", "s…@example.org"])

            let forgotten = try #require(try await store.signatures(email: EmailAddress("forgotten@example.org")).first)
            try await store.erasePersonalData(signatureID: forgotten.id)
            #expect(try await recipients() == ["s…@example.org"])
            #expect(try await store.unsentMail().isEmpty, "the receipt waiting for the erased signer is never sent")
            #expect(try await store.recount(petitionID: forgotten.petitionID).confirmed == 1, "the signature still counts")

            _ = try await Self.closedPetition(test)
            test.clock.advance(by: 91 * 86_400)
            #expect(try await store.purgePersonalData(days: 90, clientHashDays: 7, actor: "test").erasedSignatures == 1)
            #expect(try await store.outboxEntries(limit: 10).isEmpty)
        }
    }

    @Test("client-address hashes of held signatures are dropped after their days")
    func clientHashes() async throws {
        try await TestStore.with { test in
            var request = try await test.request(email: "held@example.org", hold: .rateLimited)
            request.clientHash = "abc123"
            _ = try await test.store.signatureWriter.sign(request)
            test.clock.advance(by: 8 * 86_400)
            #expect(try await test.store.purgePersonalData(days: 90, clientHashDays: 7, actor: "test").forgottenClientHashes == 1)
            let remaining = try await test.store.reader.raw("SELECT COUNT(*) AS n FROM signatures WHERE client_hash IS NOT NULL")
                .first()?.decode(column: "n", as: Int.self)
            #expect(remaining == 0)
        }
    }

    @Test("a new master key re-seals everything; the old key no longer opens the database")
    func rotation() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-rotate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let location = TestStore.Location.fresh(in: folder)
        let oldKey = [UInt8](repeating: 1, count: 32)
        let newKey = [UInt8](repeating: 2, count: 32)
        let clock = TestClock()

        let store = try await location.open(cipher: PersonalDataCipher(masterKey: oldKey), now: { clock.now })
        try await store.importContent(try CampaignContent.load(from: TestStore.contentFolder))
        let writerTask = Task { try await store.signatureWriter.run() }
        let petition = try #require(try await store.petition(slug: "osce-moscow-mechanism"))
        let signature = try SignatureForm(name: "Lilit Sargsyan", email: "lilit@example.org", country: "AM").validated().get()
        _ = try await store.signatureWriter.sign(SigningRequest(petitionID: petition.id, signature: signature, language: .english, textHash: TestStore.textHash))
        let link = try #require(try await store.unsentMail().first?.fields["token"].flatMap(ConfirmationToken.init(link:)))
        _ = try await store.signatureWriter.confirm(link)
        let receipt = try #require(try await store.receipt(token: link))
        let oldManage = PersonalDataCipher(masterKey: oldKey).manageToken(
            petitionID: petition.id, emailIndex: PersonalDataCipher(masterKey: oldKey).blindIndex(ofNormalisedEmail: "lilit@example.org")
        )
        #expect(try await store.signatureRecord(manageToken: oldManage) != nil)

        #expect(try await store.reseal(with: PersonalDataCipher(masterKey: newKey), actor: "test") == 1)
        store.signatureWriter.stopAccepting()
        _ = try? await writerTask.value
        await store.close()

        await #expect(throws: StoreError.self) {
            try await location.open(cipher: PersonalDataCipher(masterKey: oldKey))
        }
        let reopened = try await location.open(cipher: PersonalDataCipher(masterKey: newKey))
        let records = try await reopened.signatures(email: EmailAddress("lilit@example.org"))
        #expect(records.map(\.name) == ["Lilit Sargsyan"])
        #expect(try await reopened.signatureRecord(manageToken: oldManage) == nil)
        #expect(try await reopened.unsentMail().first?.recipient == "lilit@example.org")
        #expect(try await reopened.receipt(token: link) == receipt, "the receipt's nonce is sealed again too")
        #expect(try await reopened.invalidationMatches(InvalidationCriteria(petitionID: petition.id, emailDomain: "example.org", summary: "")) == 1)
        await reopened.close()
    }

    @Test("erasing one signature keeps it counted and releases its address")
    func eraseOne() async throws {
        try await TestStore.with { test in
            _ = try await test.store.signatureWriter.sign(try await test.request(email: "leaving@example.org", name: "Leaving Soon"))
            let token = try #require(try await test.confirmationToken(for: "leaving@example.org"))
            _ = try await test.store.signatureWriter.confirm(token)
            let record = try #require(try await test.store.signatures(email: EmailAddress("leaving@example.org")).first)
            try await test.store.erasePersonalData(signatureID: record.id)
            let erased = try #require(try await test.store.signatureRecord(id: record.id))
            #expect(erased.name.isEmpty && erased.email.isEmpty && erased.status == .confirmed)
            #expect(try await test.store.recount(petitionID: test.petition().id).confirmed == 1)
        }
    }
}
