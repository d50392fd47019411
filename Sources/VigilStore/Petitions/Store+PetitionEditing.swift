import Foundation
import SQLKit
import VigilCore

/// A change the store refuses, in words staff can act on.
public enum PetitionEditProblem: Error, Sendable, Equatable {
    case slugTaken
    case slugMalformed
    case goalNotPositive
    case stateChangeNotAllowed(from: Petition.State, to: Petition.State)
    case unknownPetition
}

/// One figure of an external tally as entered, for its history.
public struct ExternalTallyRecord: Sendable, Equatable {
    public let id: Int64
    public let tally: ExternalTally
}

extension Store {
    /// Creates a draft petition with its first text. Drafts are not public.
    public func createPetition(
        slug: String,
        goal: Int,
        organisation: String?,
        text: PetitionText,
        audit entry: AuditRecord
    ) async throws -> Petition {
        guard slug.count <= 80, !slug.isEmpty,
              slug.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }),
              !slug.hasPrefix("-"), !slug.hasSuffix("-")
        else { throw PetitionEditProblem.slugMalformed }
        guard goal > 0 else { throw PetitionEditProblem.goalNotPositive }
        let nowMS = now().storedMilliseconds
        let id: Int64 = try await transaction { database in
            if try await database.raw("SELECT id FROM petitions WHERE slug = \(bind: slug)").first() != nil {
                throw PetitionEditProblem.slugTaken
            }
            guard let row = try await database.raw(
                """
                INSERT INTO petitions (slug, state, goal, default_language, organisation, created_at)
                VALUES (\(bind: slug), 'draft', \(bind: goal), \(bind: text.language.rawValue), \(bind: organisation), \(bind: nowMS))
                RETURNING id
                """
            ).first() else { throw StoreError.corruptRow(table: "petitions", problem: "insert returned no id") }
            let id = try row.decode(column: "id", as: Int64.self)
            try await database.raw("INSERT INTO petition_counters (petition_id) VALUES (\(bind: id))").run()
            try await insertText(text, version: 1, petitionID: id, at: nowMS, on: database)
            try await appendAudit(entry.about("petition:\(slug)"), on: database)
            return id
        }
        try await refreshLiveCounts(petitionID: id)
        guard let petition = try await petition(id: id) else { throw PetitionEditProblem.unknownPetition }
        return petition
    }

    /// Changes the goal.
    public func setGoal(petitionID: Int64, goal: Int, audit entry: AuditRecord) async throws {
        guard goal > 0 else { throw PetitionEditProblem.goalNotPositive }
        try await editContent(petitionID: petitionID, audit: entry) { database in
            try await database.raw("UPDATE petitions SET goal = \(bind: goal) WHERE id = \(bind: petitionID)").run()
        }
    }

    /// Moves a petition through its life: draft → open → closed → delivered (or back to open
    /// from closed). Anything else is refused.
    public func setState(petitionID: Int64, to next: Petition.State, audit entry: AuditRecord) async throws {
        guard let current = try await petition(id: petitionID)?.state else { throw PetitionEditProblem.unknownPetition }
        guard current.canChange(to: next) else { throw PetitionEditProblem.stateChangeNotAllowed(from: current, to: next) }
        var record = entry
        record.details["from"] = current.rawValue
        record.details["to"] = next.rawValue
        try await editContent(petitionID: petitionID, audit: record) { database in
            try await database.raw(
                """
                UPDATE petitions SET state = \(bind: next.rawValue), state_changed_at = \(bind: self.now().storedMilliseconds)
                WHERE id = \(bind: petitionID) AND state = \(bind: current.rawValue)
                """
            ).run()
        }
    }

    /// Saves a language's text. A draft's text is replaced; once the petition has been open,
    /// a changed text becomes a new version, and signatures keep the version they were shown.
    /// Returns the version now current; saving an unchanged text changes nothing.
    @discardableResult
    public func saveText(petitionID: Int64, text: PetitionText, audit entry: AuditRecord) async throws -> Int {
        guard let petition = try await petition(id: petitionID) else { throw PetitionEditProblem.unknownPetition }
        let current = try await reader.raw(
            """
            SELECT version, text_hash FROM petition_texts
            WHERE petition_id = \(bind: petitionID) AND language = \(bind: text.language.rawValue)
            ORDER BY version DESC LIMIT 1
            """
        ).first()
        let currentVersion = try current?.decode(column: "version", as: Int.self)
        if let hash = try current?.decode(column: "text_hash", as: String.self), hash == text.versionHash {
            return currentVersion ?? 1
        }
        let nowMS = now().storedMilliseconds
        let replaces = currentVersion != nil && !petition.state.textsAreVersioned
        let version = replaces ? (currentVersion ?? 1) : (currentVersion ?? 0) + 1
        var record = entry
        record.details["language"] = text.language.rawValue
        record.details["version"] = String(version)
        try await editContent(petitionID: petitionID, audit: record) { database in
            if replaces {
                let body = String(decoding: try JSONEncoder().encode(text), as: UTF8.self)
                try await database.raw(
                    """
                    UPDATE petition_texts SET body = \(bind: body), text_hash = \(bind: text.versionHash), created_at = \(bind: nowMS)
                    WHERE petition_id = \(bind: petitionID) AND language = \(bind: text.language.rawValue) AND version = \(bind: version)
                    """
                ).run()
            } else {
                try await insertText(text, version: version, petitionID: petitionID, at: nowMS, on: database)
            }
        }
        return version
    }

    /// Records a new figure for an external tally; earlier figures stay as its history.
    public func addExternalTally(petitionID: Int64, tally: ExternalTally, audit entry: AuditRecord) async throws {
        var record = entry
        record.details["source"] = tally.sourceName
        record.details["count"] = String(tally.count)
        try await editContent(petitionID: petitionID, audit: record) { database in
            try await database.raw(
                """
                INSERT INTO external_tallies (petition_id, source_name, source_url, signature_count, counted_on, recorded_on, note)
                VALUES (\(bind: petitionID), \(bind: tally.sourceName), \(bind: tally.sourceURL), \(bind: tally.count),
                        \(bind: tally.countedOn?.storedMilliseconds), \(bind: tally.recordedOn.storedMilliseconds), \(bind: tally.note))
                """
            ).run()
        }
    }

    /// How many versions of a language's text exist.
    public func textVersionCount(petitionID: Int64, language: Language) async throws -> Int {
        try await reader.raw(
            "SELECT COUNT(*) AS n FROM petition_texts WHERE petition_id = \(bind: petitionID) AND language = \(bind: language.rawValue)"
        ).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// Every figure ever entered for a petition's external tallies, newest first.
    public func externalTallyHistory(petitionID: Int64) async throws -> [ExternalTallyRecord] {
        try await reader.raw(
            """
            SELECT id, source_name, source_url, signature_count, counted_on, recorded_on, note
            FROM external_tallies WHERE petition_id = \(bind: petitionID) ORDER BY id DESC
            """
        ).all().map { row in
            ExternalTallyRecord(
                id: try row.decode(column: "id", as: Int64.self),
                tally: ExternalTally(
                    sourceName: try row.decode(column: "source_name", as: String.self),
                    sourceURL: try row.decode(column: "source_url", as: String?.self),
                    count: try row.decode(column: "signature_count", as: Int.self),
                    countedOn: try row.decode(column: "counted_on", as: Int64?.self).map(Date.init(storedMilliseconds:)),
                    recordedOn: Date(storedMilliseconds: try row.decode(column: "recorded_on", as: Int64.self)),
                    note: try row.decode(column: "note", as: String?.self)
                )
            )
        }
    }

    /// Runs a content change with its audit record in one transaction, bumps the petition's
    /// versions so every cache renders again, and refreshes the counts in memory.
    private func editContent(
        petitionID: Int64,
        audit entry: AuditRecord,
        _ change: @Sendable (any SQLDatabase) async throws -> Void
    ) async throws {
        guard let slug = try await petition(id: petitionID)?.slug else { throw PetitionEditProblem.unknownPetition }
        try await transaction { database in
            try await change(database)
            try await database.raw(
                """
                UPDATE petition_counters SET version = version + 1, content_version = content_version + 1
                WHERE petition_id = \(bind: petitionID)
                """
            ).run()
            try await appendAudit(entry.about("petition:\(slug)"), on: database)
        }
        try await refreshLiveCounts(petitionID: petitionID)
    }

    /// Reads one petition's counters into memory.
    func refreshLiveCounts(petitionID: Int64) async throws {
        liveCounts.update(try await Self.readCounts(from: reader, petitionIDs: [petitionID]))
    }
}
