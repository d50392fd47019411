import Foundation
import Testing
import VigilCore
import VigilTestSupport
@testable import VigilStore

@Suite("Delivery tracking", .onBothDatabases)
struct DeliveryTests {
    static let staff = AuditRecord(staffID: nil, actor: "test", action: "")

    @Test("the offices the text names become addressees once; delegations, deliveries and answers make the timeline")
    func timeline() async throws {
        try await TestStore.with { test in
            let petition = try await test.petition()
            #expect(try await test.store.seedAddressees(petitionID: petition.id) == 3)
            #expect(try await test.store.seedAddressees(petitionID: petition.id) == 0)
            let offices = try await test.store.addressees(petitionID: petition.id)
            #expect(offices.map(\.name).first == "The Chairperson-in-Office of the OSCE")
            #expect(offices.allSatisfy { $0.kind == .office })

            let france = try await test.store.addDelegation(
                petitionID: petition.id, name: "Permanent Representation of France", country: "fr", audit: Self.staff
            )
            #expect(france.country == "FR" && france.kind == .delegation)
            #expect(try await test.store.addressees(petitionID: petition.id).last == france)
            let day = { (offset: Double) in test.clock.now.addingTimeInterval(-86_400 * offset) }
            try await test.store.recordDelivery(
                petitionID: petition.id, addresseeID: offices[0].id, at: day(10), method: .email, reference: "CiO/2026/117",
                note: "sent by the chair", audit: Self.staff
            )
            try await test.store.recordDelivery(
                petitionID: petition.id, addresseeID: france.id, at: day(9), method: .inPerson, reference: "  ", note: nil, audit: Self.staff
            )
            try await test.store.recordAnswer(
                petitionID: petition.id, addresseeID: offices[0].id, at: day(2), summary: "Acknowledged receipt.", reference: nil,
                audit: Self.staff
            )

            let timeline = try await test.store.deliveryTimeline(petitionID: petition.id)
            #expect(timeline.map(\.addressee) == [offices[0].name, france.name, offices[0].name])
            #expect(timeline[0].kind == .delivered(.email, reference: "CiO/2026/117"))
            #expect(timeline[1].kind == .delivered(.inPerson, reference: nil))
            #expect(timeline[2].kind == .answered(summary: "Acknowledged receipt."))
            #expect(try await test.store.deliveries(petitionID: petition.id).map(\.note) == ["sent by the chair", nil])
            #expect(try await test.store.deliveryAnswers(petitionID: petition.id).map(\.addresseeID) == [offices[0].id])

            let audit = try await test.store.auditLog(limit: 10)
            #expect(audit.map(\.action) == ["delivery.answer-recorded", "delivery.recorded", "delivery.recorded", "delivery.delegation-added"])
            #expect(audit.allSatisfy { $0.subject == "petition:osce-moscow-mechanism" && $0.actor == "test" })
            #expect(audit[2].details?.contains("CiO/2026/117") == true)
        }
    }

    @Test("bad delivery input is refused, naming the field, and records nothing")
    func badInput() async throws {
        try await TestStore.with { test in
            let petition = try await test.petition()
            try await test.store.seedAddressees(petitionID: petition.id)
            let office = try #require(try await test.store.addressees(petitionID: petition.id).first)
            let store = test.store
            let now = test.clock.now
            func refused(_ expected: DeliveryProblem, _ attempt: () async throws -> Void) async {
                await #expect(throws: expected) { try await attempt() }
            }
            await refused(.unknownCountry("XX")) {
                _ = try await store.addDelegation(petitionID: petition.id, name: "X", country: "XX", audit: Self.staff)
            }
            await refused(.empty(.name)) {
                _ = try await store.addDelegation(petitionID: petition.id, name: "  ", country: "FR", audit: Self.staff)
            }
            await refused(.nameTaken(office.name)) {
                _ = try await store.addDelegation(petitionID: petition.id, name: office.name, country: "FR", audit: Self.staff)
            }
            await refused(.unknownPetition) {
                _ = try await store.addDelegation(petitionID: 9999, name: "Permanent Mission", country: "FR", audit: Self.staff)
            }
            await refused(.unknownAddressee(9999)) {
                try await store.recordDelivery(
                    petitionID: petition.id, addresseeID: 9999, at: now, method: .post, reference: nil, note: nil, audit: Self.staff
                )
            }
            // An addressee of another petition is not this petition's.
            await refused(.unknownAddressee(office.id)) {
                try await store.recordDelivery(
                    petitionID: petition.id + 1, addresseeID: office.id, at: now, method: .post, reference: nil, note: nil, audit: Self.staff
                )
            }
            await refused(.dateInFuture) {
                try await store.recordDelivery(
                    petitionID: petition.id, addresseeID: office.id, at: now.addingTimeInterval(7 * 86_400), method: .post,
                    reference: nil, note: nil, audit: Self.staff
                )
            }
            await refused(.tooLong(.reference, maximum: Store.maximumDeliveryText)) {
                try await store.recordDelivery(
                    petitionID: petition.id, addresseeID: office.id, at: now, method: .post,
                    reference: String(repeating: "r", count: Store.maximumDeliveryText + 1), note: nil, audit: Self.staff
                )
            }
            await refused(.empty(.summary)) {
                try await store.recordAnswer(
                    petitionID: petition.id, addresseeID: office.id, at: now, summary: "", reference: nil, audit: Self.staff
                )
            }
            #expect(try await store.addressees(petitionID: petition.id).count == 3)
            #expect(try await store.deliveryTimeline(petitionID: petition.id).isEmpty)
            #expect(try await store.auditLog(limit: 10).filter { $0.action.hasPrefix("delivery.") }.isEmpty)
        }
    }
}
