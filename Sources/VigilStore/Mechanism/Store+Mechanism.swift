import Foundation
import SQLKit
import VigilCore

extension Store {
    /// The longest note staff may write about a State.
    public static let maximumAdvocacyNote = 2000

    /// Who reads the tracker's history.
    public enum AdvocacyAudience: Sendable {
        /// The public page and the API: internal notes are left out by the query itself.
        case `public`
        /// The console: everything.
        case staff
    }

    /// Records where the campaign stands with a State, as a new row that keeps every earlier
    /// one, and says so in the audit log (`mechanism.status-recorded`) in the same transaction.
    /// A blank note is none.
    @discardableResult
    public func recordAdvocacy(
        country code: String, status: AdvocacyStatus, note: String?, visibility: NoteVisibility, on day: Date,
        among states: [Country], audit entry: AuditRecord
    ) async throws -> AdvocacyEntry {
        guard let country = Country(code: code.trimmingCharacters(in: .whitespaces)), states.contains(country) else {
            throw MechanismProblem.unknownCountry(code)
        }
        let trimmed = note?.trimmingCharacters(in: .whitespacesAndNewlines)
        let note = trimmed?.isEmpty == false ? trimmed : nil
        if let note, note.count > Self.maximumAdvocacyNote { throw MechanismProblem.noteTooLong(maximum: Self.maximumAdvocacyNote) }
        // A day of grace: staff in a time zone ahead of UTC may record what happened "today".
        guard day <= now().addingTimeInterval(86_400) else { throw MechanismProblem.dateInFuture }
        var record = entry.about("state:\(country.code)")
        record.action = "mechanism.status-recorded"
        record.details = ["status": status.rawValue, "day": TallyDay(day).iso, "note": note == nil ? "none" : visibility.rawValue]
        let nowMS = now().storedMilliseconds
        let id: Int64 = try await transaction { database in
            guard let row = try await database.raw(
                """
                INSERT INTO advocacy_entries (country, status, note, note_visibility, noted_on, staff_id, actor, created_at)
                VALUES (\(bind: country.code), \(bind: status.rawValue), \(bind: note), \(bind: visibility.rawValue),
                        \(bind: day.storedMilliseconds), \(bind: record.staffID), \(bind: record.actor), \(bind: nowMS))
                RETURNING id
                """
            ).first() else { throw StoreError.corruptRow(table: "advocacy_entries", problem: "insert returned no id") }
            try await appendAudit(record, on: database)
            return try row.decode(column: "id", as: Int64.self)
        }
        return AdvocacyEntry(
            id: id, country: country.code, status: status, note: note, noteVisibility: visibility, notedOn: day,
            actor: record.actor, recordedAt: Date(storedMilliseconds: nowMS)
        )
    }

    /// Every entry, oldest first. For the public, internal notes are not read at all.
    public func advocacyHistory(for audience: AdvocacyAudience) async throws -> [AdvocacyEntry] {
        let note: SQLQueryString = switch audience {
        case .public: "CASE WHEN note_visibility = 'public' THEN note END AS note"
        case .staff: "note"
        }
        return try await reader.raw(
            "SELECT id, country, status, " + note + ", note_visibility, noted_on, actor, created_at FROM advocacy_entries ORDER BY id"
        ).all().map { row in
            let statusText = try row.decode(column: "status", as: String.self)
            let visibilityText = try row.decode(column: "note_visibility", as: String.self)
            guard let status = AdvocacyStatus(rawValue: statusText), let visibility = NoteVisibility(rawValue: visibilityText) else {
                throw StoreError.corruptRow(table: "advocacy_entries", problem: "status '\(statusText)', visibility '\(visibilityText)'")
            }
            return AdvocacyEntry(
                id: try row.decode(column: "id", as: Int64.self),
                country: try row.decode(column: "country", as: String.self),
                status: status,
                note: try row.decode(column: "note", as: String?.self),
                noteVisibility: visibility,
                notedOn: Date(storedMilliseconds: try row.decode(column: "noted_on", as: Int64.self)),
                actor: try row.decode(column: "actor", as: String.self),
                recordedAt: Date(storedMilliseconds: try row.decode(column: "created_at", as: Int64.self))
            )
        }
    }
}
