import Foundation
import SQLKit
import VigilCore

/// What an import changed in the registry.
public struct RegistryChanges: Sendable, Equatable {
    /// Slugs of people added.
    public var added: [String] = []
    /// Slugs of people whose record changed.
    public var changed: [String] = []
    /// How many records were already as the files say.
    public var unchanged = 0
    /// Keys of sources added or changed.
    public var sourcesAdded: [String] = []
    public var sourcesChanged: [String] = []
    /// Slugs of people in the database but not in the files: left as they are, since records are never deleted by an import.
    public var notInFiles: [String] = []

    public init() {}
}

extension Store {
    /// Brings the registry in line with content files, in one transaction: adds new sources and
    /// people, rewrites the records that differ, and keeps a revision (before, after, who,
    /// why) of every change. Petitions and organisations are left alone; new people are linked
    /// to the petitions whose files include them.
    ///
    /// If anything fails, nothing is changed.
    public func updateRegistry(from content: CampaignContent, actor: String, reason: String) async throws -> RegistryChanges {
        let nowMS = now().storedMilliseconds
        return try await transaction { database in
            let (changes, ids) = try await Self.writeRegistry(content.registry, on: database, actor: actor, reason: reason, at: nowMS)
            for petition in content.petitions {
                guard let row = try await database.raw("SELECT id FROM petitions WHERE slug = \(bind: petition.slug)").first() else {
                    continue
                }
                let petitionID = try row.decode(column: "id", as: Int64.self)
                for slug in petition.detainees ?? content.detainees.map(\.slug) {
                    guard let id = ids[slug] else { continue }
                    try await database.raw(
                        """
                        INSERT INTO petition_detainees (petition_id, detainee_id) VALUES (\(bind: petitionID), \(bind: id))
                        ON CONFLICT DO NOTHING
                        """
                    ).run()
                }
            }
            // The petitions list their detainees: their pages must be built again.
            try await database.raw(
                "UPDATE petition_counters SET version = version + 1, content_version = content_version + 1"
            ).run()
            return changes
        }
    }

    /// A number that grows with every change to the registry, from any process: servers compare
    /// it to the one they loaded to know when to read the registry again.
    public func registryVersion() async throws -> Int64 {
        let value = try await reader.raw("SELECT value FROM instance_settings WHERE key = 'registry_version'").first()?
            .decode(column: "value", as: String.self)
        return value.flatMap(Int64.init) ?? 0
    }

    /// Writes sources and records inside the caller's transaction; returns what changed and
    /// the database id of every person in the files.
    static func writeRegistry(
        _ registry: Registry,
        on database: any SQLDatabase,
        actor: String,
        reason: String,
        at nowMS: Int64
    ) async throws -> (RegistryChanges, [String: Int64]) {
        let existing = try await readRegistry(from: database)
        var changes = RegistryChanges()

        func revise(_ entity: String, _ key: String, before: String?, after: String) async throws {
            try await database.raw(
                """
                INSERT INTO revisions (entity, entity_key, actor, reason, changed_at, before_json, after_json)
                VALUES (\(bind: entity), \(bind: key), \(bind: actor), \(bind: reason), \(bind: nowMS), \(bind: before), \(bind: after))
                """
            ).run()
        }

        for (position, source) in registry.sources.enumerated() {
            let old = existing.sources.first { $0.key == source.key }
            if old == source { continue }
            let note = try source.note.map(encodeJSON)
            if old == nil {
                try await database.raw(
                    """
                    INSERT INTO sources (key, position, title, publisher, url, published_on, accessed_on, note)
                    VALUES (\(bind: source.key), \(bind: position), \(bind: source.title), \(bind: source.publisher),
                            \(bind: source.url), \(bind: source.published?.description), \(bind: source.accessed?.description),
                            \(bind: note))
                    """
                ).run()
                changes.sourcesAdded.append(source.key)
            } else {
                try await database.raw(
                    """
                    UPDATE sources SET position = \(bind: position), title = \(bind: source.title),
                        publisher = \(bind: source.publisher), url = \(bind: source.url),
                        published_on = \(bind: source.published?.description), accessed_on = \(bind: source.accessed?.description),
                        note = \(bind: note)
                    WHERE key = \(bind: source.key)
                    """
                ).run()
                changes.sourcesChanged.append(source.key)
            }
            try await revise("source", source.key, before: try old.map(encodeJSON), after: try encodeJSON(source))
        }
        var sourceIDs: [String: Int64] = [:]
        for row in try await database.raw("SELECT id, key FROM sources").all() {
            sourceIDs[try row.decode(column: "key", as: String.self)] = try row.decode(column: "id", as: Int64.self)
        }

        var ids: [String: Int64] = [:]
        for detainee in registry.detainees {
            let old = existing.detainees.first { $0.slug == detainee.slug }
            var comparable = old
            comparable?.id = nil
            if let old, let id = old.id, comparable == detainee {
                ids[detainee.slug] = id
                changes.unchanged += 1
                continue
            }
            let id: Int64
            if let oldID = old?.id {
                id = oldID
                try await database.raw(
                    """
                    UPDATE detainees SET category = \(bind: detainee.category.rawValue), position = \(bind: detainee.position),
                        published = \(bind: detainee.published)
                    WHERE id = \(bind: id)
                    """
                ).run()
                for table in ["citations", "detainee_names", "detainee_facts", "detainee_events", "detainee_proceedings"] {
                    try await database.raw("DELETE FROM \(ident: table) WHERE detainee_id = \(bind: id)").run()
                }
                changes.changed.append(detainee.slug)
            } else {
                id = try await insertedID(
                    """
                    INSERT INTO detainees (slug, category, position, published)
                    VALUES (\(bind: detainee.slug), \(bind: detainee.category.rawValue), \(bind: detainee.position),
                            \(bind: detainee.published))
                    RETURNING id
                    """,
                    table: "detainees",
                    on: database
                )
                changes.added.append(detainee.slug)
            }
            ids[detainee.slug] = id
            try await insertFacts(of: detainee, id: id, sourceIDs: sourceIDs, on: database)
            try await revise(
                "detainee", detainee.slug,
                before: try old.map { try encodeJSON(DetaineeFile($0)) },
                after: try encodeJSON(DetaineeFile(detainee))
            )
        }
        let inFiles = Set(registry.detainees.map(\.slug))
        changes.notInFiles = existing.detainees.map(\.slug).filter { !inFiles.contains($0) }
        // Every server reading this database notices the new registry by this number.
        try await database.raw(
            """
            INSERT INTO instance_settings (key, value) VALUES ('registry_version', '1')
            ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(instance_settings.value AS INTEGER) + 1 AS TEXT)
            """
        ).run()
        return (changes, ids)
    }

    /// Inserts a record's names, facts, events, proceedings and their citations.
    private static func insertFacts(
        of detainee: Detainee,
        id: Int64,
        sourceIDs: [String: Int64],
        on database: any SQLDatabase
    ) async throws {
        var citationRows: [SQLQueryString] = []
        func cite(_ sourcing: Sourcing, subject: String, subjectID: Int64) throws {
            for (position, citation) in sourcing.citations.enumerated() {
                guard let sourceID = sourceIDs[citation.source] else { throw StoreError.notFound("source '\(citation.source)'") }
                citationRows.append(
                    """
                    (\(bind: id), \(bind: subject), \(bind: subjectID), \(bind: position), \(bind: sourceID),
                     \(bind: citation.location), \(bind: citation.quote), \(bind: citation.reliability.rawValue))
                    """
                )
            }
        }

        for (position, name) in detainee.names.enumerated() {
            let nameID = try await insertedID(
                """
                INSERT INTO detainee_names (detainee_id, position, name, script, language, kind, visibility, unsourced)
                VALUES (\(bind: id), \(bind: position), \(bind: name.text), \(bind: name.script.rawValue), \(bind: name.language),
                        \(bind: name.kind.rawValue), \(bind: name.visibility.rawValue), \(bind: name.sourcing.isUnsourced))
                RETURNING id
                """,
                table: "detainee_names",
                on: database
            )
            try cite(name.sourcing, subject: "name", subjectID: nameID)
        }

        var facts: [(field: String, value: String, sourcing: Sourcing, visibility: Visibility, unclear: LocalizedText?)] = []
        func add<Value>(_ field: String, _ fact: Fact<Value>?) throws {
            guard let fact else { return }
            facts.append((field, try encodeJSON(fact.value), fact.sourcing, fact.visibility, fact.unclear))
        }
        try add("summary", detainee.summary)
        try add("born", detainee.born)
        try add("birthplace", detainee.birthplace)
        for age in detainee.reportedAges { try add("reported_age", age) }
        for line in detainee.background { try add("background", line) }
        for (position, fact) in facts.enumerated() {
            let factID = try await insertedID(
                """
                INSERT INTO detainee_facts (detainee_id, position, field, value, unclear, visibility, unsourced)
                VALUES (\(bind: id), \(bind: position), \(bind: fact.field), \(bind: fact.value),
                        \(bind: try fact.unclear.map(encodeJSON)), \(bind: fact.visibility.rawValue), \(bind: fact.sourcing.isUnsourced))
                RETURNING id
                """,
                table: "detainee_facts",
                on: database
            )
            try cite(fact.sourcing, subject: "fact", subjectID: factID)
        }

        for (position, event) in detainee.events.enumerated() {
            let eventID = try await insertedID(
                """
                INSERT INTO detainee_events (detainee_id, position, kind, occurred_on, place, place_visibility, description,
                                             unclear, proceeding, visibility, unsourced)
                VALUES (\(bind: id), \(bind: position), \(bind: event.kind.rawValue), \(bind: event.date?.description),
                        \(bind: try event.place.map(encodeJSON)), \(bind: event.placeVisibility.rawValue),
                        \(bind: try encodeJSON(event.description)), \(bind: try event.unclear.map(encodeJSON)),
                        \(bind: event.proceeding), \(bind: event.visibility.rawValue), \(bind: event.sourcing.isUnsourced))
                RETURNING id
                """,
                table: "detainee_events",
                on: database
            )
            try cite(event.sourcing, subject: "event", subjectID: eventID)
        }

        for (position, proceeding) in detainee.proceedings.enumerated() {
            let proceedingID = try await insertedID(
                """
                INSERT INTO detainee_proceedings (detainee_id, position, key, court, place, judge, judge_visibility, charges,
                                                  verdict, sentence_years, note, visibility, unsourced)
                VALUES (\(bind: id), \(bind: position), \(bind: proceeding.key), \(bind: try encodeJSON(proceeding.court)),
                        \(bind: try proceeding.place.map(encodeJSON)), \(bind: proceeding.judge),
                        \(bind: proceeding.judgeVisibility.rawValue), \(bind: try encodeJSON(proceeding.charges)),
                        \(bind: proceeding.verdict?.rawValue), \(bind: proceeding.sentenceYears),
                        \(bind: try proceeding.note.map(encodeJSON)), \(bind: proceeding.visibility.rawValue),
                        \(bind: proceeding.sourcing.isUnsourced))
                RETURNING id
                """,
                table: "detainee_proceedings",
                on: database
            )
            try cite(proceeding.sourcing, subject: "proceeding", subjectID: proceedingID)
        }

        // One multi-row statement per hundred citations: each statement is a trip to SQLite's thread.
        var start = 0
        while start < citationRows.count {
            let chunk = citationRows[start..<min(start + 100, citationRows.count)]
            let insert: SQLQueryString =
                "INSERT INTO citations (detainee_id, subject, subject_id, position, source_id, location, quote, reliability) VALUES "
            try await database.raw(insert + chunk.joined(separator: ", ")).run()
            start += 100
        }
    }

    private static func insertedID(_ query: SQLQueryString, table: String, on database: any SQLDatabase) async throws -> Int64 {
        guard let id = try await database.raw(query).first()?.decode(column: "id", as: Int64.self) else {
            throw StoreError.corruptRow(table: table, problem: "insert returned no id")
        }
        return id
    }
}
