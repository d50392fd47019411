import Foundation
import SQLKit
import VigilCore

extension Store {
    private static let committeeColumns: SQLQueryString =
        "id, code, petition_id, name, city, country, contact, languages, goal, shown_in_league, created_at"

    /// Creates a committee for a petition, with the code staff chose or a new random one, and
    /// says so in the audit log (`committee.created`) in the same transaction.
    ///
    /// Throws ``CommitteeProblem/codeTaken`` when a chosen code is in use, and
    /// ``StoreError/notFound(_:)`` for an unknown petition; nothing is written then.
    public func createCommittee(
        petitionID: Int64, code chosen: CommitteeCode?, details: CommitteeDetails, audit entry: AuditRecord
    ) async throws -> Committee {
        let nowMS = now().storedMilliseconds
        return try await transaction { database in
            guard try await database.raw("SELECT id FROM petitions WHERE id = \(bind: petitionID)").first() != nil else {
                throw StoreError.notFound("petition \(petitionID)")
            }
            var code = chosen ?? CommitteeCode.random(using: random)
            while try await database.raw("SELECT id FROM committees WHERE code = \(bind: code.text)").first() != nil {
                guard chosen == nil else { throw CommitteeProblem.codeTaken }
                code = CommitteeCode.random(using: random)
            }
            guard let row = try await database.raw(
                """
                INSERT INTO committees (code, petition_id, name, city, country, contact, languages, goal, shown_in_league, created_at)
                VALUES (\(bind: code.text), \(bind: petitionID), \(bind: details.name), \(bind: details.city),
                        \(bind: details.country.code), \(bind: details.contact), \(bind: Self.storedLanguages(details.languages)),
                        \(bind: details.goal), \(bind: details.shownInLeague), \(bind: nowMS))
                RETURNING
                """ + " " + Self.committeeColumns
            ).first() else { throw StoreError.corruptRow(table: "committees", problem: "insert returned nothing") }
            let committee = try Self.committee(row)
            var record = entry.about("committee:\(committee.id)")
            record.action = "committee.created"
            record.details = ["code": code.text, "petition": String(petitionID)]
            try await appendAudit(record, on: database)
            return committee
        }
    }

    /// Replaces a committee's details; its code and petition stay. Audited as `committee.changed`.
    public func updateCommittee(id: Int64, details: CommitteeDetails, audit entry: AuditRecord) async throws -> Committee {
        try await transaction { database in
            guard let row = try await database.raw(
                """
                UPDATE committees SET name = \(bind: details.name), city = \(bind: details.city), country = \(bind: details.country.code),
                    contact = \(bind: details.contact), languages = \(bind: Self.storedLanguages(details.languages)),
                    goal = \(bind: details.goal), shown_in_league = \(bind: details.shownInLeague)
                WHERE id = \(bind: id)
                RETURNING
                """ + " " + Self.committeeColumns
            ).first() else { throw StoreError.notFound("committee \(id)") }
            var record = entry.about("committee:\(id)")
            record.action = "committee.changed"
            try await appendAudit(record, on: database)
            return try Self.committee(row)
        }
    }

    /// Every committee, by name.
    public func committees() async throws -> [Committee] {
        try await reader.raw("SELECT " + Self.committeeColumns + " FROM committees ORDER BY name, id").all().map(Self.committee)
    }

    /// The committee with this id, or `nil`.
    public func committee(id: Int64) async throws -> Committee? {
        try await reader.raw("SELECT " + Self.committeeColumns + " FROM committees WHERE id = \(bind: id)").first().map(Self.committee)
    }

    /// What a committee's referral link brought in: confirmed signatures by day and by
    /// country, and how many are still waiting for their signer to confirm.
    public func committeeActivity(id: Int64) async throws -> CommitteeActivity {
        var activity = CommitteeActivity()
        let dayMS: Int64 = 86_400_000
        // Whole days since 1970 in UTC: integer division works the same in SQLite and PostgreSQL.
        activity.confirmedByDay = try await reader.raw(
            """
            SELECT confirmed_at / \(literal: dayMS) AS day, COUNT(*) AS n FROM signatures
            WHERE committee_id = \(bind: id) AND status = 'confirmed' AND revoked_reason IS NULL
            GROUP BY confirmed_at / \(literal: dayMS) ORDER BY day
            """
        ).all().map { row in
            (Date(storedMilliseconds: try row.decode(column: "day", as: Int64.self) * dayMS), try row.decode(column: "n", as: Int.self))
        }
        for row in try await reader.raw(
            """
            SELECT country, COUNT(*) AS n FROM signatures
            WHERE committee_id = \(bind: id) AND status = 'confirmed' AND revoked_reason IS NULL
            GROUP BY country
            """
        ).all() {
            activity.byCountry[try row.decode(column: "country", as: String.self)] = try row.decode(column: "n", as: Int.self)
        }
        activity.pending = try await signatureCount(where: "committee_id = \(bind: id) AND status = 'pending'")
        return activity
    }

    private static func storedLanguages(_ languages: [Language]) -> String {
        languages.map(\.rawValue).joined(separator: ",")
    }

    private static func committee(_ row: any SQLRow) throws -> Committee {
        let codeText = try row.decode(column: "code", as: String.self)
        let countryCode = try row.decode(column: "country", as: String.self)
        guard let code = CommitteeCode(codeText), let country = Country(code: countryCode) else {
            throw StoreError.corruptRow(table: "committees", problem: "code '\(codeText)', country '\(countryCode)'")
        }
        return Committee(
            id: try row.decode(column: "id", as: Int64.self),
            code: code,
            petitionID: try row.decode(column: "petition_id", as: Int64.self),
            details: CommitteeDetails(
                name: try row.decode(column: "name", as: String.self),
                city: try row.decode(column: "city", as: String.self),
                country: country,
                contact: try row.decode(column: "contact", as: String.self),
                languages: try row.decode(column: "languages", as: String.self).split(separator: ",").compactMap { Language(rawValue: String($0)) },
                goal: try row.decode(column: "goal", as: Int?.self),
                shownInLeague: try row.decode(column: "shown_in_league", as: Bool.self)
            ),
            createdAt: Date(storedMilliseconds: try row.decode(column: "created_at", as: Int64.self))
        )
    }
}

/// What a committee's referral link brought in.
public struct CommitteeActivity: Sendable {
    /// Confirmed signatures per UTC day they were confirmed on, oldest first; days without any are left out.
    public var confirmedByDay: [(day: Date, count: Int)] = []
    /// Confirmed signatures by the signer's country code.
    public var byCountry: [String: Int] = [:]
    /// Signatures whose signer has not confirmed yet.
    public var pending = 0

    public init() {}

    /// Confirmed signatures in all.
    public var confirmed: Int { byCountry.values.reduce(0, +) }
}
