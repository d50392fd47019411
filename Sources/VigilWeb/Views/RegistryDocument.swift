import Foundation
import VigilCore

// The registry as open data. Field names are snake_case like the petition API's; texts are in
// the language asked for, or English. Described in openapi.yaml.

/// Where a person stands and for how long, as of the moment of the request.
struct CustodyFields: Encodable {
    let status: String
    let held_since: String?
    let held_since_precision: String?
    /// The start of custody is the day an arrest was announced, not the day it happened.
    let held_since_is_announcement: Bool?
    let days_held: Int?
    let days_held_is_minimum: Bool?
    let sentence_years: Int?

    init(_ custody: Custody, now: Date) {
        let held = custody.timeHeld(now: now)
        status = custody.status.rawValue
        held_since = custody.since?.description
        held_since_precision = custody.since?.precision.rawValue
        held_since_is_announcement = custody.since == nil ? nil : custody.sinceIsAnnouncement
        days_held = held?.days
        days_held_is_minimum = held?.isMinimum
        sentence_years = custody.sentenceYears
    }
}

/// One person's public record: the API's answer for one person and an entry of the JSON export.
struct DetaineeDocument: Encodable {
    struct TextFact: Encodable {
        let text: String
        let unclear: String?
        let citations: [Int]
        let unsourced: Bool
    }

    struct DateFact: Encodable {
        let date: String
        let precision: String
        let unclear: String?
        let citations: [Int]
        let unsourced: Bool
    }

    struct AgeFact: Encodable {
        let years: Int
        let as_of: String?
        let unclear: String?
        let citations: [Int]
        let unsourced: Bool
    }

    struct Name: Encodable {
        let text: String
        let script: String
        let language: String?
        let kind: String
        let citations: [Int]
        let unsourced: Bool
    }

    struct Event: Encodable {
        let kind: String
        let date: String?
        let date_precision: String?
        let place: String?
        let description: String
        let unclear: String?
        let proceeding: String?
        let citations: [Int]
        let unsourced: Bool
    }

    struct Step: Encodable {
        let kind: String
        let date: String?
    }

    struct ProceedingEntry: Encodable {
        let key: String
        let court: String
        let place: String?
        let judge: String?
        let charges: [String]
        let verdict: String?
        let sentence_years: Int?
        let note: String?
        let dates: [Step]
        let citations: [Int]
        let unsourced: Bool
    }

    struct CitationEntry: Encodable {
        let number: Int
        let source: String
        let location: String?
        let quote: String?
        let reliability: String
    }

    let slug: String
    let url: String
    let api_url: String
    let language: String
    let name: String
    let category: String
    let custody: CustodyFields
    let summary: TextFact?
    let born: DateFact?
    let birthplace: TextFact?
    let reported_ages: [AgeFact]
    let background: [TextFact]
    let names: [Name]
    let timeline: [Event]
    let proceedings: [ProceedingEntry]
    let citations: [CitationEntry]
    let sources: [SourceEntry]

    init(person: PublicDetainee, sources allSources: [Source], language: Language, baseURL: String, now: Date) {
        let record = person.record
        let numbers = CitationNumbers(record)
        func text(_ fact: Fact<LocalizedText>) -> TextFact {
            TextFact(
                text: fact.value.text(in: language), unclear: fact.unclear?.text(in: language),
                citations: numbers.numbers(fact.sourcing), unsourced: fact.sourcing.isUnsourced
            )
        }
        slug = record.slug
        url = "\(baseURL)/detainees/\(record.slug)"
        api_url = "\(baseURL)/api/v1/detainees/\(record.slug)"
        self.language = language.tag
        name = record.displayName
        category = record.category.rawValue
        custody = CustodyFields(record.custody, now: now)
        summary = record.summary.map(text)
        born = record.born.map { fact in
            DateFact(
                date: fact.value.description, precision: fact.value.precision.rawValue, unclear: fact.unclear?.text(in: language),
                citations: numbers.numbers(fact.sourcing), unsourced: fact.sourcing.isUnsourced
            )
        }
        birthplace = record.birthplace.map(text)
        reported_ages = record.reportedAges.map { fact in
            AgeFact(
                years: fact.value.years, as_of: fact.value.asOf?.description, unclear: fact.unclear?.text(in: language),
                citations: numbers.numbers(fact.sourcing), unsourced: fact.sourcing.isUnsourced
            )
        }
        background = record.background.map(text)
        names = record.names.map { name in
            Name(
                text: name.text, script: name.script.rawValue, language: name.language, kind: name.kind.rawValue,
                citations: numbers.numbers(name.sourcing), unsourced: name.sourcing.isUnsourced
            )
        }
        timeline = record.events.map { event in
            Event(
                kind: event.kind.rawValue, date: event.date?.description, date_precision: event.date?.precision.rawValue,
                place: event.place?.text(in: language), description: event.description.text(in: language),
                unclear: event.unclear?.text(in: language), proceeding: event.proceeding,
                citations: numbers.numbers(event.sourcing), unsourced: event.sourcing.isUnsourced
            )
        }
        proceedings = record.proceedings.map { proceeding in
            ProceedingEntry(
                key: proceeding.key, court: proceeding.court.text(in: language), place: proceeding.place?.text(in: language),
                judge: proceeding.judge, charges: proceeding.charges.map { $0.text(in: language) },
                verdict: proceeding.verdict?.rawValue, sentence_years: proceeding.sentenceYears,
                note: proceeding.note?.text(in: language),
                dates: record.events(of: proceeding).map { Step(kind: $0.kind.rawValue, date: $0.date?.description) },
                citations: numbers.numbers(proceeding.sourcing), unsourced: proceeding.sourcing.isUnsourced
            )
        }
        citations = numbers.citations.enumerated().map { index, citation in
            CitationEntry(
                number: index + 1, source: citation.source, location: citation.location, quote: citation.quote,
                reliability: citation.reliability.rawValue
            )
        }
        let cited = Set(numbers.citations.map(\.source))
        sources = allSources.filter { cited.contains($0.key) }.map { SourceEntry($0, language: language) }
    }
}

/// A source as open data.
struct SourceEntry: Encodable {
    let key: String
    let title: String
    let publisher: String?
    let url: String?
    let published: String?
    let accessed: String?
    let note: String?

    init(_ source: Source, language: Language) {
        key = source.key
        title = source.title
        publisher = source.publisher
        url = source.url
        published = source.published?.description
        accessed = source.accessed?.description
        note = source.note?.text(in: language)
    }
}

/// `GET /api/v1/detainees`: everyone (or a search's or category's share), briefly.
struct DetaineeListDocument: Encodable {
    struct Links: Encodable {
        let `self`: String
        let csv: String
        let json: String
    }

    struct Meta: Encodable {
        let count: Int
        let by_category: [String: Int]
        let language: String
    }

    struct Summary: Encodable {
        let slug: String
        let url: String
        let api_url: String
        let name: String
        let other_names: [String]
        let category: String
        let summary: String?
        let custody: CustodyFields
    }

    let links: Links
    let meta: Meta
    let data: [Summary]

    init(people: [PublicDetainee], selfURL: String, language: Language, baseURL: String, now: Date) {
        links = Links(self: selfURL, csv: "\(baseURL)/detainees.csv", json: "\(baseURL)/detainees.json")
        meta = Meta(
            count: people.count,
            by_category: Dictionary(grouping: people, by: \.record.category.rawValue).mapValues(\.count),
            language: language.tag
        )
        data = people.map { person in
            let record = person.record
            return Summary(
                slug: record.slug,
                url: "\(baseURL)/detainees/\(record.slug)",
                api_url: "\(baseURL)/api/v1/detainees/\(record.slug)",
                name: record.displayName,
                other_names: record.names.map(\.text).filter { $0 != record.displayName },
                category: record.category.rawValue,
                summary: record.summary?.value.text(in: language),
                custody: CustodyFields(record.custody, now: now)
            )
        }
    }
}

/// `GET /detainees.json`: the whole public registry in one file, each record complete with
/// its permalink, citations and sources.
struct RegistryExportDocument: Encodable {
    let generated_at: String
    let language: String
    let count: Int
    let sources: [SourceEntry]
    let detainees: [DetaineeDocument]
}
