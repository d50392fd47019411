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
        guard let petition = try await petition(id: petitionID),
              let text = try await currentText(petitionID: petitionID, language: petition.defaultLanguage),
              !text.addressees.isEmpty
        else { return 0 }
        let nowMS = now().storedMilliseconds
        return try await transaction { database in
            // Checked inside the transaction, so that two first uses at once seed only once.
            guard try await database.raw("SELECT id FROM addressees WHERE petition_id = \(bind: petitionID) LIMIT 1").first() == nil
            else { return 0 }
            let rows = text.addressees.enumerated().map { position, name in
                "(\(bind: petitionID), \(bind: name), 'office', NULL, \(bind: position), \(bind: nowMS))" as SQLQueryString
            }
            try await database.raw(
                "INSERT INTO addressees (petition_id, name, kind, country, position, created_at) VALUES " + rows.joined(separator: ", ")
            ).run()
            return rows.count
        }
    }

    /// A petition's addressees: the offices first, in the text's order, then delegations as added.
    public func addressees(petitionID: Int64) async throws -> [Addressee] {
        try await reader.raw(
            """
            SELECT id, petition_id, name, kind, country FROM addressees
            WHERE petition_id = \(bind: petitionID) ORDER BY position, id
            """
        ).all().map(Self.addressee)
    }

    /// Adds a national delegation as an addressee, and says so in the audit log
    /// (`delivery.delegation-added`) in the same transaction.
    public func addDelegation(petitionID: Int64, name: String, country: String, audit entry: AuditRecord) async throws -> Addressee {
        let name = try Self.deliveryText(name, field: .name)
        guard let country = Country(code: country.trimmingCharacters(in: .whitespaces)) else {
            throw DeliveryProblem.unknownCountry(country)
        }
        guard let slug = try await petition(id: petitionID)?.slug else { throw DeliveryProblem.unknownPetition }
        var record = entry.about("petition:\(slug)")
        record.action = "delivery.delegation-added"
        record.details = ["name": name, "country": country.code]
        let nowMS = now().storedMilliseconds
        let id: Int64 = try await transaction { database in
            guard try await database.raw(
                "SELECT id FROM addressees WHERE petition_id = \(bind: petitionID) AND name = \(bind: name)"
            ).first() == nil else { throw DeliveryProblem.nameTaken(name) }
            guard let row = try await database.raw(
                """
                INSERT INTO addressees (petition_id, name, kind, country, position, created_at)
                VALUES (\(bind: petitionID), \(bind: name), 'delegation', \(bind: country.code),
                        (SELECT COUNT(*) FROM addressees WHERE petition_id = \(bind: petitionID)), \(bind: nowMS))
                RETURNING id
                """
            ).first() else { throw StoreError.corruptRow(table: "addressees", problem: "insert returned no id") }
            try await appendAudit(record, on: database)
            return try row.decode(column: "id", as: Int64.self)
        }
        return Addressee(id: id, petitionID: petitionID, name: name, kind: .delegation, country: country.code)
    }

    /// Records that the petition was delivered to one of its addressees, and says so in the audit
    /// log (`delivery.recorded`) in the same transaction. A blank reference or note is none.
    @discardableResult
    public func recordDelivery(
        petitionID: Int64, addresseeID: Int64, at date: Date, method: Delivery.Method, reference: String?, note: String?,
        audit entry: AuditRecord
    ) async throws -> Delivery {
        let reference = try Self.optionalDeliveryText(reference, field: .reference)
        let note = try Self.optionalDeliveryText(note, field: .note)
        let (slug, addressee) = try await checkedAddressee(addresseeID, petitionID: petitionID, date: date)
        var record = entry.about("petition:\(slug)")
        record.action = "delivery.recorded"
        record.details = ["addressee": addressee.name, "day": TallyDay(date).iso, "method": method.rawValue]
        record.details["reference"] = reference
        let id: Int64 = try await transaction { database in
            guard let row = try await database.raw(
                """
                INSERT INTO deliveries (addressee_id, delivered_at, method, reference, note, created_at)
                VALUES (\(bind: addresseeID), \(bind: date.storedMilliseconds), \(bind: method.rawValue), \(bind: reference),
                        \(bind: note), \(bind: self.now().storedMilliseconds))
                RETURNING id
                """
            ).first() else { throw StoreError.corruptRow(table: "deliveries", problem: "insert returned no id") }
            try await appendAudit(record, on: database)
            return try row.decode(column: "id", as: Int64.self)
        }
        return Delivery(id: id, addresseeID: addresseeID, deliveredAt: date, method: method, reference: reference, note: note)
    }

    /// Records an addressee's answer, and says so in the audit log (`delivery.answer-recorded`)
    /// in the same transaction. A blank reference is none.
    @discardableResult
    public func recordAnswer(
        petitionID: Int64, addresseeID: Int64, at date: Date, summary: String, reference: String?, audit entry: AuditRecord
    ) async throws -> DeliveryAnswer {
        let summary = try Self.deliveryText(summary, field: .summary)
        let reference = try Self.optionalDeliveryText(reference, field: .reference)
        let (slug, addressee) = try await checkedAddressee(addresseeID, petitionID: petitionID, date: date)
        var record = entry.about("petition:\(slug)")
        record.action = "delivery.answer-recorded"
        record.details = ["addressee": addressee.name, "day": TallyDay(date).iso]
        record.details["reference"] = reference
        let id: Int64 = try await transaction { database in
            guard let row = try await database.raw(
                """
                INSERT INTO delivery_answers (addressee_id, received_at, summary, reference, created_at)
                VALUES (\(bind: addresseeID), \(bind: date.storedMilliseconds), \(bind: summary), \(bind: reference),
                        \(bind: self.now().storedMilliseconds))
                RETURNING id
                """
            ).first() else { throw StoreError.corruptRow(table: "delivery_answers", problem: "insert returned no id") }
            try await appendAudit(record, on: database)
            return try row.decode(column: "id", as: Int64.self)
        }
        return DeliveryAnswer(id: id, addresseeID: addresseeID, receivedAt: date, summary: summary, reference: reference)
    }

    /// A petition's deliveries, oldest first, with the notes staff wrote.
    public func deliveries(petitionID: Int64) async throws -> [Delivery] {
        try await reader.raw(
            """
            SELECT d.id, d.addressee_id, d.delivered_at, d.method, d.reference, d.note
            FROM deliveries AS d JOIN addressees AS a ON a.id = d.addressee_id
            WHERE a.petition_id = \(bind: petitionID) ORDER BY d.delivered_at, d.id
            """
        ).all().map { row in
            let methodText = try row.decode(column: "method", as: String.self)
            guard let method = Delivery.Method(rawValue: methodText) else {
                throw StoreError.corruptRow(table: "deliveries", problem: "method '\(methodText)'")
            }
            return Delivery(
                id: try row.decode(column: "id", as: Int64.self),
                addresseeID: try row.decode(column: "addressee_id", as: Int64.self),
                deliveredAt: Date(storedMilliseconds: try row.decode(column: "delivered_at", as: Int64.self)),
                method: method,
                reference: try row.decode(column: "reference", as: String?.self),
                note: try row.decode(column: "note", as: String?.self)
            )
        }
    }

    /// The answers a petition's addressees gave, oldest first.
    public func deliveryAnswers(petitionID: Int64) async throws -> [DeliveryAnswer] {
        try await reader.raw(
            """
            SELECT r.id, r.addressee_id, r.received_at, r.summary, r.reference
            FROM delivery_answers AS r JOIN addressees AS a ON a.id = r.addressee_id
            WHERE a.petition_id = \(bind: petitionID) ORDER BY r.received_at, r.id
            """
        ).all().map { row in
            DeliveryAnswer(
                id: try row.decode(column: "id", as: Int64.self),
                addresseeID: try row.decode(column: "addressee_id", as: Int64.self),
                receivedAt: Date(storedMilliseconds: try row.decode(column: "received_at", as: Int64.self)),
                summary: try row.decode(column: "summary", as: String.self),
                reference: try row.decode(column: "reference", as: String?.self)
            )
        }
    }

    /// Every delivery and answer of a petition, oldest first, for its public timeline (without
    /// staff's notes).
    public func deliveryTimeline(petitionID: Int64) async throws -> [DeliveryEvent] {
        let names = Dictionary(try await addressees(petitionID: petitionID).map { ($0.id, $0.name) }) { first, _ in first }
        let deliveries = try await deliveries(petitionID: petitionID).map { delivery in
            DeliveryEvent(
                date: delivery.deliveredAt, addressee: names[delivery.addresseeID] ?? "",
                kind: .delivered(delivery.method, reference: delivery.reference)
            )
        }
        let answers = try await deliveryAnswers(petitionID: petitionID).map { answer in
            DeliveryEvent(date: answer.receivedAt, addressee: names[answer.addresseeID] ?? "", kind: .answered(summary: answer.summary))
        }
        // Stable: on the same day a delivery comes before the answer to it.
        return (deliveries + answers).enumerated().sorted { ($0.element.date, $0.offset) < ($1.element.date, $1.offset) }.map(\.element)
    }

    /// The addressee, if it is the petition's, with the petition's slug; and a date not in the future.
    private func checkedAddressee(_ id: Int64, petitionID: Int64, date: Date) async throws -> (slug: String, addressee: Addressee) {
        guard let row = try await reader.raw(
            """
            SELECT a.id, a.petition_id, a.name, a.kind, a.country, p.slug
            FROM addressees AS a JOIN petitions AS p ON p.id = a.petition_id
            WHERE a.id = \(bind: id) AND a.petition_id = \(bind: petitionID)
            """
        ).first() else { throw DeliveryProblem.unknownAddressee(id) }
        // A day of grace: staff in a time zone ahead of UTC may record what happened "today".
        guard date <= now().addingTimeInterval(86_400) else { throw DeliveryProblem.dateInFuture }
        return (try row.decode(column: "slug", as: String.self), try Self.addressee(row))
    }

    private static func addressee(_ row: any SQLRow) throws -> Addressee {
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

    /// Staff-typed text, trimmed, not empty, not too long.
    static func deliveryText(_ text: String, field: DeliveryProblem.Field) throws(DeliveryProblem) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .empty(field) }
        guard trimmed.count <= maximumDeliveryText else { throw .tooLong(field, maximum: maximumDeliveryText) }
        return trimmed
    }

    /// Optional staff-typed text: trimmed, and `nil` when blank, since a form sends an empty field.
    static func optionalDeliveryText(_ text: String?, field: DeliveryProblem.Field) throws(DeliveryProblem) -> String? {
        guard let text, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
        return try deliveryText(text, field: field)
    }
}
