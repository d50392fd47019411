import Foundation
import SQLKit
import VigilCore

extension Store {
    /// Whether campaign content has been loaded into this database.
    public func hasContent() async throws -> Bool {
        try await reader.raw("SELECT value FROM instance_settings WHERE key = 'content_imported_at'").first() != nil
    }

    /// The campaign's name in each language it was given in.
    public func campaignNames() async throws -> [Language: String] {
        var names: [Language: String] = [:]
        for row in try await reader.raw("SELECT key, value FROM instance_settings WHERE key LIKE 'campaign_name.%'").all() {
            let key = try row.decode(column: "key", as: String.self)
            if let language = Language(rawValue: String(key.dropFirst("campaign_name.".count))) {
                names[language] = try row.decode(column: "value", as: String.self)
            }
        }
        return names
    }

    /// Loads a campaign into an empty database, in one transaction: either all of it lands or none.
    /// Every registry record gets its first revision, with `actor` and `reason`.
    public func importContent(
        _ content: CampaignContent,
        actor: String = "content-import",
        reason: String = "campaign loaded into an empty database"
    ) async throws {
        let nowMS = now().storedMilliseconds
        try await transaction { database in
            for organisation in content.organisations {
                try await database.raw(
                    """
                    INSERT INTO organisations (slug, name, source)
                    VALUES (\(bind: organisation.slug), \(bind: organisation.name), \(bind: organisation.source))
                    """
                ).run()
                if !organisation.members.isEmpty {
                    let rows = organisation.members.map { "(\(bind: organisation.slug), \(bind: $0.code))" as SQLQueryString }
                    try await database.raw(
                        "INSERT INTO organisation_members (organisation, country) VALUES " + rows.joined(separator: ", ")
                    ).run()
                }
            }

            let (_, detaineeIDs) = try await Self.writeRegistry(
                content.registry, on: database, actor: actor, reason: reason, at: nowMS
            )

            for petition in content.petitions {
                let row = try await database.raw(
                    """
                    INSERT INTO petitions (slug, state, goal, default_language, organisation, created_at)
                    VALUES (\(bind: petition.slug), \(bind: petition.state.rawValue), \(bind: petition.goal),
                            \(bind: petition.defaultLanguage.rawValue), \(bind: petition.organisation), \(bind: nowMS))
                    RETURNING id
                    """
                ).first()
                guard let petitionID = try row?.decode(column: "id", as: Int64.self) else {
                    throw StoreError.corruptRow(table: "petitions", problem: "insert returned no id")
                }
                try await database.raw(
                    "INSERT INTO petition_counters (petition_id) VALUES (\(bind: petitionID))"
                ).run()
                for text in petition.texts {
                    try await insertText(text, version: 1, petitionID: petitionID, at: nowMS, on: database)
                }
                for tally in petition.externalTallies {
                    try await database.raw(
                        """
                        INSERT INTO external_tallies
                            (petition_id, source_name, source_url, signature_count, counted_on, recorded_on, note)
                        VALUES (\(bind: petitionID), \(bind: tally.sourceName), \(bind: tally.sourceURL), \(bind: tally.count),
                                \(bind: tally.countedOn?.storedMilliseconds), \(bind: tally.recordedOn.storedMilliseconds),
                                \(bind: tally.note))
                        """
                    ).run()
                }
                let about = petition.detainees ?? content.detainees.map(\.slug)
                let links = about.compactMap { detaineeIDs[$0] }.map { "(\(bind: petitionID), \(bind: $0))" as SQLQueryString }
                if !links.isEmpty {
                    try await database.raw(
                        "INSERT INTO petition_detainees (petition_id, detainee_id) VALUES " + links.joined(separator: ", ")
                    ).run()
                }
            }
            for (language, name) in content.names {
                try await database.raw(
                    "INSERT INTO instance_settings (key, value) VALUES (\(bind: "campaign_name.\(language.rawValue)"), \(bind: name))"
                ).run()
            }
            try await database.raw(
                "INSERT INTO instance_settings (key, value) VALUES ('content_imported_at', \(bind: String(nowMS)))"
            ).run()
        }
        try await reloadLiveCounts()
    }

    func insertText(
        _ text: PetitionText,
        version: Int,
        petitionID: Int64,
        at nowMS: Int64,
        on database: any SQLDatabase
    ) async throws {
        let body = String(decoding: try JSONEncoder().encode(text), as: UTF8.self)
        try await database.raw(
            """
            INSERT INTO petition_texts (petition_id, language, version, body, text_hash, created_at)
            VALUES (\(bind: petitionID), \(bind: text.language.rawValue), \(bind: version), \(bind: body),
                    \(bind: text.versionHash), \(bind: nowMS))
            """
        ).run()
    }
}
