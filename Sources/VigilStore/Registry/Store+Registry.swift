import Foundation
import SQLKit
import VigilCore

extension Store {
    /// Every record with every fact, restricted ones included.
    ///
    /// For staff tools only (the content export). Everything shown to the public is built
    /// from ``publicRegistry()``, which removes what is restricted.
    public func fullRegistry() async throws -> Registry {
        try await Self.readRegistry(from: reader)
    }

    /// The registry as anyone may see it: the one way pages, exports and the API read it.
    public func publicRegistry() async throws -> PublicRegistry {
        PublicRegistry(filtering: try await fullRegistry())
    }

    /// The slugs of the people a petition is about, in the campaign's order.
    public func detaineeSlugs(petitionID: Int64) async throws -> [String] {
        try await reader.raw(
            """
            SELECT d.slug FROM petition_detainees AS p JOIN detainees AS d ON d.id = p.detainee_id
            WHERE p.petition_id = \(bind: petitionID)
            ORDER BY d.position, d.id
            """
        ).all().map { try $0.decode(column: "slug", as: String.self) }
    }

    /// The history of one record (`entity` is `detainee` or `source`), oldest first.
    public func revisions(entity: String, key: String) async throws -> [Revision] {
        try await reader.raw(
            """
            SELECT entity, entity_key, actor, reason, changed_at, before_json, after_json FROM revisions
            WHERE entity = \(bind: entity) AND entity_key = \(bind: key) ORDER BY id
            """
        ).all().map { row in
            Revision(
                entity: try row.decode(column: "entity", as: String.self),
                key: try row.decode(column: "entity_key", as: String.self),
                actor: try row.decode(column: "actor", as: String.self),
                reason: try row.decode(column: "reason", as: String.self),
                changedAt: Date(storedMilliseconds: try row.decode(column: "changed_at", as: Int64.self)),
                before: try row.decode(column: "before_json", as: String?.self),
                after: try row.decode(column: "after_json", as: String?.self)
            )
        }
    }

    /// Reads the whole registry in a few queries and puts each record together in memory.
    static func readRegistry(from database: any SQLDatabase) async throws -> Registry {
        var sourceKeys: [Int64: String] = [:]
        let sources = try await database.raw(
            "SELECT id, key, title, publisher, url, published_on, accessed_on, note FROM sources ORDER BY position, id"
        ).all().map { row in
            let key = try row.decode(column: "key", as: String.self)
            sourceKeys[try row.decode(column: "id", as: Int64.self)] = key
            return Source(
                key: key,
                title: try row.decode(column: "title", as: String.self),
                publisher: try row.decode(column: "publisher", as: String?.self),
                url: try row.decode(column: "url", as: String?.self),
                published: try partialDate(row, "published_on", table: "sources"),
                accessed: try partialDate(row, "accessed_on", table: "sources"),
                note: try row.decode(column: "note", as: String?.self).map { try decodeJSON(LocalizedText.self, $0, table: "sources") }
            )
        }

        var citations: [String: [Citation]] = [:]
        for row in try await database.raw(
            "SELECT subject, subject_id, source_id, location, quote, reliability FROM citations ORDER BY subject, subject_id, position"
        ).all() {
            let sourceID = try row.decode(column: "source_id", as: Int64.self)
            let reliabilityText = try row.decode(column: "reliability", as: String.self)
            guard let source = sourceKeys[sourceID], let reliability = Citation.Reliability(rawValue: reliabilityText) else {
                throw StoreError.corruptRow(table: "citations", problem: "source \(sourceID), reliability '\(reliabilityText)'")
            }
            let subject = "\(try row.decode(column: "subject", as: String.self)):\(try row.decode(column: "subject_id", as: Int64.self))"
            citations[subject, default: []].append(
                Citation(
                    source: source,
                    location: try row.decode(column: "location", as: String?.self),
                    quote: try row.decode(column: "quote", as: String?.self),
                    reliability: reliability
                )
            )
        }
        func sourcing(_ row: any SQLRow, subject: String, table: String) throws -> Sourcing {
            if try row.decode(column: "unsourced", as: Bool.self) { return .unsourced }
            let cited = citations["\(subject):\(try row.decode(column: "id", as: Int64.self))"] ?? []
            guard !cited.isEmpty else { throw StoreError.corruptRow(table: table, problem: "a fact with no citation is not marked unsourced") }
            return .cited(cited)
        }

        var records: [Int64: Detainee] = [:]
        var order: [Int64] = []
        for row in try await database.raw("SELECT id, slug, category, position, published FROM detainees ORDER BY position, id").all() {
            let id = try row.decode(column: "id", as: Int64.self)
            records[id] = Detainee(
                id: id,
                slug: try row.decode(column: "slug", as: String.self),
                category: try choice(row, "category", table: "detainees"),
                position: try row.decode(column: "position", as: Int.self),
                published: try row.decode(column: "published", as: Bool.self),
                names: []
            )
            order.append(id)
        }

        for row in try await database.raw(
            "SELECT id, detainee_id, name, script, language, kind, visibility, unsourced FROM detainee_names ORDER BY detainee_id, position"
        ).all() {
            let owner = try row.decode(column: "detainee_id", as: Int64.self)
            records[owner]?.names.append(
                Detainee.Name(
                    text: try row.decode(column: "name", as: String.self),
                    script: try choice(row, "script", table: "detainee_names"),
                    language: try row.decode(column: "language", as: String?.self),
                    kind: try choice(row, "kind", table: "detainee_names"),
                    sourcing: try sourcing(row, subject: "name", table: "detainee_names"),
                    visibility: try choice(row, "visibility", table: "detainee_names")
                )
            )
        }

        for row in try await database.raw(
            "SELECT id, detainee_id, field, value, unclear, visibility, unsourced FROM detainee_facts ORDER BY detainee_id, position"
        ).all() {
            let owner = try row.decode(column: "detainee_id", as: Int64.self)
            let table = "detainee_facts"
            let field = try row.decode(column: "field", as: String.self)
            let value = try row.decode(column: "value", as: String.self)
            let theSourcing = try sourcing(row, subject: "fact", table: table)
            let visibility: Visibility = try choice(row, "visibility", table: table)
            let unclear = try optionalJSON(LocalizedText.self, row, "unclear", table: table)
            func fact<Value>(_ type: Value.Type) throws -> Fact<Value> {
                Fact(try decodeJSON(Value.self, value, table: table), sourcing: theSourcing, visibility: visibility, unclear: unclear)
            }
            switch field {
            case "born": records[owner]?.born = try fact(PartialDate.self)
            case "birthplace": records[owner]?.birthplace = try fact(LocalizedText.self)
            case "reported_age": records[owner]?.reportedAges.append(try fact(ReportedAge.self))
            case "summary": records[owner]?.summary = try fact(LocalizedText.self)
            case "background": records[owner]?.background.append(try fact(LocalizedText.self))
            default: throw StoreError.corruptRow(table: table, problem: "field '\(field)'")
            }
        }

        for row in try await database.raw(
            """
            SELECT id, detainee_id, kind, occurred_on, place, place_visibility, description, unclear, proceeding, visibility, unsourced
            FROM detainee_events ORDER BY detainee_id, position
            """
        ).all() {
            let owner = try row.decode(column: "detainee_id", as: Int64.self)
            let table = "detainee_events"
            records[owner]?.events.append(
                TimelineEvent(
                    kind: try choice(row, "kind", table: table),
                    date: try partialDate(row, "occurred_on", table: table),
                    place: try optionalJSON(LocalizedText.self, row, "place", table: table),
                    placeVisibility: try choice(row, "place_visibility", table: table),
                    description: try decodeJSON(LocalizedText.self, try row.decode(column: "description", as: String.self), table: table),
                    unclear: try optionalJSON(LocalizedText.self, row, "unclear", table: table),
                    proceeding: try row.decode(column: "proceeding", as: String?.self),
                    sourcing: try sourcing(row, subject: "event", table: table),
                    visibility: try choice(row, "visibility", table: table)
                )
            )
        }

        for row in try await database.raw(
            """
            SELECT id, detainee_id, key, court, place, judge, judge_visibility, charges, verdict, sentence_years, note,
                   visibility, unsourced
            FROM detainee_proceedings ORDER BY detainee_id, position
            """
        ).all() {
            let owner = try row.decode(column: "detainee_id", as: Int64.self)
            let table = "detainee_proceedings"
            let verdict = try row.decode(column: "verdict", as: String?.self)
            records[owner]?.proceedings.append(
                Proceeding(
                    key: try row.decode(column: "key", as: String.self),
                    court: try decodeJSON(LocalizedText.self, try row.decode(column: "court", as: String.self), table: table),
                    place: try optionalJSON(LocalizedText.self, row, "place", table: table),
                    judge: try row.decode(column: "judge", as: String?.self),
                    judgeVisibility: try choice(row, "judge_visibility", table: table),
                    charges: try decodeJSON([LocalizedText].self, try row.decode(column: "charges", as: String.self), table: table),
                    verdict: try verdict.map { text in
                        guard let value = Proceeding.Verdict(rawValue: text) else {
                            throw StoreError.corruptRow(table: table, problem: "verdict '\(text)'")
                        }
                        return value
                    },
                    sentenceYears: try row.decode(column: "sentence_years", as: Int?.self),
                    note: try optionalJSON(LocalizedText.self, row, "note", table: table),
                    sourcing: try sourcing(row, subject: "proceeding", table: table),
                    visibility: try choice(row, "visibility", table: table)
                )
            )
        }
        return Registry(sources: sources, detainees: order.compactMap { records[$0] })
    }

    // MARK: - Columns

    private static func choice<T: RawRepresentable>(_ row: any SQLRow, _ column: String, table: String) throws -> T
    where T.RawValue == String {
        let text = try row.decode(column: column, as: String.self)
        guard let value = T(rawValue: text) else { throw StoreError.corruptRow(table: table, problem: "\(column) '\(text)'") }
        return value
    }

    private static func partialDate(_ row: any SQLRow, _ column: String, table: String) throws -> PartialDate? {
        guard let text = try row.decode(column: column, as: String?.self) else { return nil }
        guard let date = PartialDate(text) else { throw StoreError.corruptRow(table: table, problem: "\(column) '\(text)'") }
        return date
    }

    private static func optionalJSON<T: Decodable>(_ type: T.Type, _ row: any SQLRow, _ column: String, table: String) throws -> T? {
        try row.decode(column: column, as: String?.self).map { try decodeJSON(type, $0, table: table) }
    }

    static func decodeJSON<T: Decodable>(_ type: T.Type, _ text: String, table: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw StoreError.corruptRow(table: table, problem: "not the expected JSON (\(error))")
        }
    }

    static func encodeJSON(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

/// One change to a registry record: who made it, when, why, and the record before and after
/// (as JSON in the shape of its content file). Revisions are only ever added.
public struct Revision: Sendable, Equatable {
    /// `detainee` or `source`.
    public let entity: String
    /// The record's slug or key.
    public let key: String
    /// Who made the change: `content-import` for the CLI and first start, a staff account later.
    public let actor: String
    public let reason: String
    public let changedAt: Date
    /// `nil` when the record was created by this change.
    public let before: String?
    public let after: String?
}
