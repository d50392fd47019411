import Foundation
import Testing
import VigilCore
import VigilTestSupport
@testable import VigilStore

@Suite("Partner sites in the store", .onBothDatabases)
struct PartnerStoreTests {
    static let audit = AuditRecord(staffID: 1, actor: "admin@example.org", action: "")

    static func partner(_ test: TestStore, trusted: Bool) async throws -> (partner: Partner, token: PartnerToken) {
        _ = try await test.store.createStaff(
            email: "admin@example.org", role: .admin, setupTokenHash: "x", setupExpiresAt: test.clock.now,
            audit: AuditRecord(staffID: nil, actor: "test", action: "staff.invited")
        )
        let details = try PartnerDetails.checked(
            name: "Armenian Cause", website: "https://armeniancause.example", contact: "tech@armeniancause.example", trusted: trusted
        )
        return try await test.store.createPartner(details, audit: audit)
    }

    static func push(_ test: TestStore, _ partner: Partner, email: String) async throws -> SigningOutcome {
        var request = try await test.request(email: email)
        request.channel = .partner
        request.partnerID = partner.id
        request.partnerTags = ["newsletter"]
        request.countsAtOnce = partner.details.trusted
        return try await test.store.signatureWriter.sign(request)
    }

    @Test("a token finds its partner until it is revoked; a new token works and the old one does not")
    func tokens() async throws {
        try await TestStore.with { test in
            let (partner, token) = try await Self.partner(test, trusted: false)
            #expect(token.text.hasPrefix("vigil_partner_"))
            #expect(PartnerToken(header: token.text) == token)
            #expect(PartnerToken(header: "vigil_partner_short") == nil)
            #expect(try await test.store.partner(token: token)?.id == partner.id)

            let revoked = try await test.store.revokePartner(id: partner.id, audit: Self.audit)
            #expect(revoked.isRevoked)
            #expect(try await test.store.partner(token: token) == nil)

            let (_, fresh) = try await test.store.reissuePartnerToken(id: partner.id, audit: Self.audit)
            #expect(try await test.store.partner(token: fresh)?.isRevoked == false)
            #expect(try await test.store.partner(token: token) == nil)

            await #expect(throws: PartnerProblem(.nameTaken, field: .name)) {
                try await test.store.createPartner(partner.details, audit: Self.audit)
            }
            let actions = try await test.store.auditLog(limit: 10).map(\.action)
            #expect(actions.contains("partner.created") && actions.contains("partner.revoked") && actions.contains("partner.token-issued"))
        }
    }

    @Test("an untrusted partner's signature waits for the signer's confirmation; a trusted one counts at once with a receipt")
    func trust() async throws {
        try await TestStore.with { test in
            let petition = try await test.petition()
            let (partner, _) = try await Self.partner(test, trusted: false)
            #expect(try await Self.push(test, partner, email: "first@example.org") == .confirmationQueued)
            #expect(test.store.liveCounts.counts(forPetition: petition.id).confirmed == 0)
            _ = try await test.store.signatureWriter.confirm(try #require(try await test.confirmationToken(for: "first@example.org")))
            #expect(test.store.liveCounts.counts(forPetition: petition.id).byChannel == ["partner": 1])

            let trusted = try await test.store.setPartnerTrusted(id: partner.id, true, audit: Self.audit)
            #expect(try await Self.push(test, trusted, email: "second@example.org") == .counted(signerNumber: 2))
            let counts = test.store.liveCounts.counts(forPetition: petition.id)
            #expect(counts.byChannel == ["partner": 2])
            #expect(try await test.store.recount(petitionID: petition.id).byChannel == counts.byChannel)
            #expect(try await test.store.partnerCounts(petitionID: petition.id) == [partner.id: 2])
            let mail = try await test.store.unsentMail().filter { $0.recipient == "second@example.org" }.map(\.kind)
            #expect(mail == [.signatureReceipt])
            // Pushed again, it is not counted twice.
            #expect(try await Self.push(test, trusted, email: "second@example.org") == .alreadySignedNoticeQueued)
            #expect(test.store.liveCounts.counts(forPetition: petition.id).confirmed == 2)
        }
    }

    @Test("a partner's details are checked: a name, an https address and a contact")
    func details() {
        #expect(throws: PartnerProblem(.required, field: .name)) {
            try PartnerDetails.checked(name: " ", website: "https://a.example", contact: "x", trusted: false)
        }
        #expect(throws: PartnerProblem(.notHTTPS, field: .website)) {
            try PartnerDetails.checked(name: "A", website: "http://a.example", contact: "x", trusted: false)
        }
        #expect(throws: PartnerProblem(.required, field: .contact)) {
            try PartnerDetails.checked(name: "A", website: "https://a.example", contact: "", trusted: false)
        }
    }
}
