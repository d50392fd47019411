import Foundation
import SQLKit
import VigilCore

extension Store {
    /// The longest name, reference, note or summary staff may enter.
    public static let maximumDeliveryText = 2000

    /// Adds the offices a petition's text names as its addressees, if it has none yet.
    /// Returns how many were added.
    @discardableResult
    public func seedAddressees(petitionID: Int64) async throws -> Int {
        guard try await addressees(petitionID: petitionID).isEmpty,
              let petition = try await petition(id: petitionID),
              let text = try await currentText(petitionID: petitionID, language: petition.defaultLanguage),
              !text.addressees.isEmpty
        else { return 0 }
        let nowMS = now().storedMilliseconds
        let rows = text.addressees.enumerated().map { position, name in
            "(\(bind: petitionID), \(bind: name), 'office', NULL, \(bind: position), \(bind: nowMS))" as SQLQueryString
        }
        try await connections.otherWrites.raw(
            "INSERT INTO addressees (petition_id, name, kind, country, position, created_at) VALUES " + rows.joined(separator: ", ")
        ).run()
        return rows.count
    }

    /// A petition's addressees: the offices first, in the text's order, then delegations as added.
    public func addressees(petitionID: Int64) async throws -> [Addressee] {
        try await reader.raw(
            """
            SELECT id, petition_id, name, kind, country FROM addressees
            WHERE petition_id = \(bind: petitionID) ORDER BY position, id
            """
        ).all().map { row in
            let kindText = try row.decode(column: "kind", as: String.self)
            guard let kind = Addressee.Kind(rawValue: kindText) else {
                throw StoreError.corruptRow(table: "addressees", problem: "kind '\(kindText)'")
            }
            return Addressee(
                id: try row.decode(column: "id", as: Int64.self),
                petitionID: try row.decode(column: "petition_id", as: Int64.self),
                name: try row.decode(column: "name", as: String.self),
                kind: kind,
                country: try row.decode(column: "country", as: String?.self)
            )
        }
    }

    /// Adds a national delegation as an addressee.
    public func addDelegation(petitionID: Int64, name: String, country: String) async throws -> Addressee {
        let name = try Self.deliveryText(name, field: "name")
        guard let country = Country(code: country) else {
            throw StoreError.invalidRequest("'\(country)' is not an ISO 3166-1 country code, such as FR or AM")
        }
        guard try await petition(id: petitionID) != nil else { throw StoreError.notFound("petition \(petitionID)") }
        let existing = try await addressees(petitionID: petitionID)
        guard !existing.contains(where: { $0.name == name }) else {
            throw StoreError.invalidRequest("the petition already has an addressee named '\(name)'")
        }
        let id = try await connections.otherWrites.raw(
            """
            INSERT INTO addressees (petition_id, name, kind, country, position, created_at)
            VALUES (\(bind: petitionID), \(bind: name), 'delegation', \(bind: country.code), \(bind: existing.count),
                    \(bind: now().storedMilliseconds))
            RETURNING id
            """
        ).first()?.decode(column: "id", as: Int64.self)
        guard let id else { throw StoreError.corruptRow(table: "addressees", problem: "insert returned no id") }
        return Addressee(id: id, petitionID: petitionID, name: name, kind: .delegation, country: country.code)
    }

    /// Records that the petition was delivered to an addressee.
    @discardableResult
    public func recordDelivery(
        addresseeID: Int64, at date: Date, method: Delivery.Method, reference: String?, note: String?
    ) async throws -> Delivery {
        try await checkAddressee(addresseeID, date: date)
        let reference = try reference.map { try Self.deliveryText($0, field: "reference") }
        let note = try note.map { try Self.deliveryText($0, field: "note") }
        let id = try await connections.otherWrites.raw(
            """
            INSERT INTO deliveries (addressee_id, delivered_at, method, reference, note, created_at)
            VALUES (\(bind: addresseeID), \(bind: date.storedMilliseconds), \(bind: method.rawValue), \(bind: reference),
                    \(bind: note), \(bind: now().storedMilliseconds))
            RETURNING id
            """
        ).first()?.decode(column: "id", as: Int64.self)
        guard let id else { throw StoreError.corruptRow(table: "deliveries", problem: "insert returned no id") }
        return Delivery(id: id, addresseeID: addresseeID, deliveredAt: date, method: method, reference: reference, note: note)
    }

    /// Records an addressee's answer.
    @discardableResult
    public func recordAnswer(addresseeID: Int64, at date: Date, summary: String, reference: String?) async throws -> DeliveryAnswer {
        try await checkAddressee(addresseeID, date: date)
        let summary = try Self.deliveryText(summary, field: "summary")
        let reference = try reference.map { try Self.deliveryText($0, field: "reference") }
        let id = try await connections.otherWrites.raw(
            """
            INSERT INTO delivery_answers (addressee_id, received_at, summary, reference, created_at)
            VALUES (\(bind: addresseeID), \(bind: date.storedMilliseconds), \(bind: summary), \(bind: reference),
                    \(bind: now().storedMilliseconds))
            RETURNING id
            """
        ).first()?.decode(column: "id", as: Int64.self)
        guard let id else { throw StoreError.corruptRow(table: "delivery_answers", problem: "insert returned no id") }
        return DeliveryAnswer(id: id, addresseeID: addresseeID, receivedAt: date, summary: summary, reference: reference)
    }

    /// Every delivery and answer of a petition, oldest first, for its public timeline.
    public func deliveryTimeline(petitionID: Int64) async throws -> [DeliveryEvent] {
        let deliveries = try await reader.raw(
            """
            SELECT d.delivered_at AS at, a.name, d.method, d.reference, d.id
            FROM deliveries AS d JOIN addressees AS a ON a.id = d.addressee_id
            WHERE a.petition_id = \(bind: petitionID)
            """
        ).all().map { row -> DeliveryEvent in
            let methodText = try row.decode(column: "method", as: String.self)
            guard let method = Delivery.Method(rawValue: methodText) else {
                throw StoreError.corruptRow(table: "deliveries", problem: "method '\(methodText)'")
            }
            return DeliveryEvent(
                date: Date(storedMilliseconds: try row.decode(column: "at", as: Int64.self)),
                addressee: try row.decode(column: "name", as: String.self),
                kind: .delivered(method, reference: try row.decode(column: "reference", as: String?.self))
            )
        }
        let answers = try await reader.raw(
            """
            SELECT r.received_at AS at, a.name, r.summary
            FROM delivery_answers AS r JOIN addressees AS a ON a.id = r.addressee_id
            WHERE a.petition_id = \(bind: petitionID)
            """
        ).all().map { row in
            DeliveryEvent(
                date: Date(storedMilliseconds: try row.decode(column: "at", as: Int64.self)),
                addressee: try row.decode(column: "name", as: String.self),
                kind: .answered(summary: try row.decode(column: "summary", as: String.self))
            )
        }
        // Stable: on the same day a delivery comes before the answer to it.
        return (deliveries + answers).enumerated().sorted { ($0.element.date, $0.offset) < ($1.element.date, $1.offset) }.map(\.element)
    }

    private func checkAddressee(_ id: Int64, date: Date) async throws {
        guard try await reader.raw("SELECT id FROM addressees WHERE id = \(bind: id)").first() != nil else {
            throw StoreError.invalidRequest("no addressee has id \(id); `vigil delivery list` shows them")
        }
        guard date <= now().addingTimeInterval(86_400) else {
            throw StoreError.invalidRequest("the date is in the future")
        }
    }

    /// Staff-typed text, trimmed, not empty, not too long.
    static func deliveryText(_ text: String, field: String) throws(StoreError) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .invalidRequest("the \(field) is empty") }
        guard trimmed.count <= maximumDeliveryText else {
            throw .invalidRequest("the \(field) is longer than \(maximumDeliveryText) characters")
        }
        return trimmed
    }
}
