import Foundation
import Testing
import VigilCore
import VigilTestSupport
@testable import VigilStore

@Suite("Delivery tracking")
struct DeliveryTests {
    @Test("the offices the text names become addressees once; delegations, deliveries and answers make the timeline")
    func timeline() async throws {
        try await TestStore.with { test in
            let petition = try await test.petition()
            #expect(try await test.store.seedAddressees(petitionID: petition.id) == 3)
            #expect(try await test.store.seedAddressees(petitionID: petition.id) == 0)
            let offices = try await test.store.addressees(petitionID: petition.id)
            #expect(offices.map(\.name).first == "The Chairperson-in-Office of the OSCE")
            #expect(offices.allSatisfy { $0.kind == .office })

            let france = try await test.store.addDelegation(petitionID: petition.id, name: "Permanent Representation of France", country: "fr")
            #expect(france.country == "FR" && france.kind == .delegation)
            let day = { (offset: Double) in test.clock.now.addingTimeInterval(-86_400 * offset) }
            try await test.store.recordDelivery(addresseeID: offices[0].id, at: day(10), method: .email, reference: "CiO/2026/117", note: "sent by the chair")
            try await test.store.recordDelivery(addresseeID: france.id, at: day(9), method: .inPerson, reference: nil, note: nil)
            try await test.store.recordAnswer(addresseeID: offices[0].id, at: day(2), summary: "Acknowledged receipt.", reference: nil)

            let timeline = try await test.store.deliveryTimeline(petitionID: petition.id)
            #expect(timeline.map(\.addressee) == [offices[0].name, france.name, offices[0].name])
            #expect(timeline[0].kind == .delivered(.email, reference: "CiO/2026/117"))
            #expect(timeline[2].kind == .answered(summary: "Acknowledged receipt."))
        }
    }

    @Test("bad delivery input is refused with a reason and records nothing")
    func badInput() async throws {
        try await TestStore.with { test in
            let petition = try await test.petition()
            try await test.store.seedAddressees(petitionID: petition.id)
            let office = try #require(try await test.store.addressees(petitionID: petition.id).first)
            let store = test.store
            await #expect(throws: StoreError.self) { try await store.addDelegation(petitionID: petition.id, name: "X", country: "XX") }
            await #expect(throws: StoreError.self) { try await store.addDelegation(petitionID: petition.id, name: "  ", country: "FR") }
            await #expect(throws: StoreError.self) { try await store.addDelegation(petitionID: petition.id, name: office.name, country: "FR") }
            await #expect(throws: StoreError.self) {
                try await store.recordDelivery(addresseeID: 9999, at: test.clock.now, method: .post, reference: nil, note: nil)
            }
            await #expect(throws: StoreError.self) {
                try await store.recordDelivery(
                    addresseeID: office.id, at: test.clock.now.addingTimeInterval(7 * 86_400), method: .post, reference: nil, note: nil
                )
            }
            await #expect(throws: StoreError.self) {
                try await store.recordAnswer(addresseeID: office.id, at: test.clock.now, summary: "", reference: nil)
            }
            #expect(try await store.addressees(petitionID: petition.id).count == 3)
            #expect(try await store.deliveryTimeline(petitionID: petition.id).isEmpty)
        }
    }
}
