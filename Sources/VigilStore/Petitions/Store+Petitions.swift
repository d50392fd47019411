import Foundation
import SQLKit
import VigilCore

extension Store {
    /// The petition with this slug, or `nil`.
    public func petition(slug: String) async throws -> Petition? {
        try await petition(where: "slug = \(bind: slug)")
    }

    /// The petition with this id, or `nil`.
    public func petition(id: Int64) async throws -> Petition? {
        try await petition(where: "id = \(bind: id)")
    }

    /// Every petition's slug, oldest first.
    public func petitionSlugs() async throws -> [String] {
        try await reader.raw("SELECT slug FROM petitions ORDER BY id").all().map {
            try $0.decode(column: "slug", as: String.self)
        }
    }

    private func petition(where condition: SQLQueryString) async throws -> Petition? {
        guard let row = try await reader.raw(
            "SELECT id, slug, state, goal, default_language, organisation FROM petitions WHERE " + condition
        ).first() else { return nil }
        let id = try row.decode(column: "id", as: Int64.self)
        let stateText = try row.decode(column: "state", as: String.self)
        let languageText = try row.decode(column: "default_language", as: String.self)
        guard let state = Petition.State(rawValue: stateText), let defaultLanguage = Language(rawValue: languageText) else {
            throw StoreError.corruptRow(table: "petitions", problem: "state '\(stateText)' or language '\(languageText)'")
        }
        let languages = try await reader.raw(
            "SELECT DISTINCT language FROM petition_texts WHERE petition_id = \(bind: id)"
        ).all().compactMap { Language(rawValue: try $0.decode(column: "language", as: String.self)) }
        let ordered = [defaultLanguage] + Language.allCases.filter { $0 != defaultLanguage && languages.contains($0) }
        return Petition(
            id: id,
            slug: try row.decode(column: "slug", as: String.self),
            state: state,
            goal: try row.decode(column: "goal", as: Int.self),
            defaultLanguage: defaultLanguage,
            languages: ordered,
            organisation: try row.decode(column: "organisation", as: String?.self)
        )
    }

    /// The newest version of a petition's text in one language.
    public func currentText(petitionID: Int64, language: Language) async throws -> PetitionText? {
        guard let row = try await reader.raw(
            """
            SELECT body FROM petition_texts
            WHERE petition_id = \(bind: petitionID) AND language = \(bind: language.rawValue)
            ORDER BY version DESC LIMIT 1
            """
        ).first() else { return nil }
        let body = try row.decode(column: "body", as: String.self)
        do {
            return try JSONDecoder().decode(PetitionText.self, from: Data(body.utf8))
        } catch {
            throw StoreError.corruptRow(table: "petition_texts", problem: "body is not a petition text (\(error))")
        }
    }

    /// The latest figure of each external tally of a petition, in the order they were first recorded.
    public func externalTallies(petitionID: Int64) async throws -> [ExternalTally] {
        try await reader.raw(
            """
            SELECT source_name, source_url, signature_count, counted_on, recorded_on, note
            FROM external_tallies AS t
            WHERE petition_id = \(bind: petitionID)
              AND id = (SELECT MAX(id) FROM external_tallies WHERE petition_id = t.petition_id AND source_name = t.source_name)
            ORDER BY (SELECT MIN(id) FROM external_tallies WHERE petition_id = t.petition_id AND source_name = t.source_name)
            """
        ).all().map { row in
            ExternalTally(
                sourceName: try row.decode(column: "source_name", as: String.self),
                sourceURL: try row.decode(column: "source_url", as: String?.self),
                count: try row.decode(column: "signature_count", as: Int.self),
                countedOn: try row.decode(column: "counted_on", as: Int64?.self).map(Date.init(storedMilliseconds:)),
                recordedOn: Date(storedMilliseconds: try row.decode(column: "recorded_on", as: Int64.self)),
                note: try row.decode(column: "note", as: String?.self)
            )
        }
    }

    /// The member states of an organisation, as the campaign content lists them.
    public func memberCountries(ofOrganisation slug: String) async throws -> [Country] {
        try await reader.raw(
            "SELECT country FROM organisation_members WHERE organisation = \(bind: slug) ORDER BY country"
        ).all().compactMap { Country(code: try $0.decode(column: "country", as: String.self)) }
    }

    /// An organisation's display name, or `nil` if the content has no such organisation.
    public func organisationName(_ slug: String) async throws -> String? {
        try await reader.raw("SELECT name FROM organisations WHERE slug = \(bind: slug)").first()?
            .decode(column: "name", as: String.self)
    }
}
