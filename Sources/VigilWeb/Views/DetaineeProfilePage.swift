import VigilCore

/// `/detainees/{slug}`: who the person is, what happened to them, their trials and sentence,
/// every way their name is written, and numbered notes leading to the sources.
struct DetaineeProfilePage {
    /// The numbers after a fact, each a link to its note; or "unsourced".
    struct Marks {
        struct Mark {
            let number: Int
            let label: String
        }

        let marks: [Mark]
        let unsourced: Bool
    }

    /// A labelled fact, as a row of the facts list.
    struct FactRow {
        let label: String
        let value: String
        let unclear: String?
        let cite: Marks
    }

    /// A sentence about the person.
    struct Line {
        let text: String
        let unclear: String?
        let cite: Marks
    }

    struct Event {
        let date: String
        /// The machine-readable date for `<time datetime>`, when there is one.
        let datetime: String?
        let kind: String
        let description: String
        let place: String?
        let unclear: String?
        let cite: Marks
    }

    struct ProceedingView {
        let court: String
        let rows: [FactRow]
        let charges: [String]
        let note: String?
        let cite: Marks
    }

    struct NameView {
        let text: String
        let lang: String?
        let details: String
        let cite: Marks
    }

    struct Note {
        let number: Int
        let sourceTitle: String
        let sourceID: String
        let location: String?
        let quote: String?
        let reliability: String
    }

    struct SourceView {
        let id: String
        let title: String
        let publisher: String?
        let url: String?
        let dates: String?
        let note: String?
    }

    let layout: Layout
    let t: [String: String]
    let name: String
    let initials: String
    let category: String
    let categoryURL: String
    let listURL: String
    let status: String
    let heldSince: String?
    let daysHeld: String?
    let summary: Line?
    /// Whether there is anything for the "facts" section: rows or background lines.
    let hasFacts: Bool
    let facts: [FactRow]
    let background: [Line]
    let timeline: [Event]
    let proceedings: [ProceedingView]
    let names: [NameView]
    let notes: [Note]
    let sources: [SourceView]
    let jsonURL: String

    init(person: PublicDetainee, sources allSources: [Source], words: RegistryText, renderer: PageRenderer, path: String) {
        let record = person.record
        let language = words.language
        let numbers = CitationNumbers(record)
        func marks(_ sourcing: Sourcing) -> Marks {
            Marks(
                marks: numbers.numbers(sourcing).map { Marks.Mark(number: $0, label: words.text("citation_label", ["number": words.number($0)])) },
                unsourced: sourcing.isUnsourced
            )
        }
        func line(_ fact: Fact<LocalizedText>) -> Line {
            Line(text: fact.value.text(in: language), unclear: words.localized(fact.unclear), cite: marks(fact.sourcing))
        }
        let custody = record.custody

        name = record.displayName
        layout = renderer.layout(
            language: language, title: name, description: words.localized(record.summary?.value), path: path,
            offered: renderer.languages
        )
        t = renderer.texts(language)
        initials = record.initials
        category = words.category(record.category)
        categoryURL = language.path("/detainees?category=\(record.category.rawValue)")
        listURL = language.path("/detainees")
        status = words.status(custody)
        heldSince = words.heldSince(custody)
        daysHeld = words.daysHeld(custody)
        summary = record.summary.map(line)

        var facts: [FactRow] = []
        if let born = record.born {
            facts.append(FactRow(label: words.text("fact_born"), value: words.date(born.value), unclear: words.localized(born.unclear), cite: marks(born.sourcing)))
        }
        if let place = record.birthplace {
            facts.append(
                FactRow(label: words.text("fact_birthplace"), value: place.value.text(in: language), unclear: words.localized(place.unclear), cite: marks(place.sourcing))
            )
        }
        for age in record.reportedAges {
            let value = age.value.asOf.map { words.text("fact_age_as_of", count: age.value.years, ["date": words.date($0)]) }
                ?? words.text("fact_age_undated", count: age.value.years)
            facts.append(FactRow(label: words.text("fact_reported_age"), value: value, unclear: words.localized(age.unclear), cite: marks(age.sourcing)))
        }
        self.facts = facts
        background = record.background.map(line)
        hasFacts = !facts.isEmpty || !background.isEmpty

        timeline = record.events.map { event in
            Event(
                date: words.date(event.date),
                datetime: event.date?.description,
                kind: words.eventKind(event.kind),
                description: event.description.text(in: language),
                place: words.localized(event.place),
                unclear: words.localized(event.unclear),
                cite: marks(event.sourcing)
            )
        }
        proceedings = record.proceedings.map { proceeding in
            var rows: [FactRow] = []
            let none = Marks(marks: [], unsourced: false)
            func row(_ key: String, _ value: String?) {
                if let value { rows.append(FactRow(label: words.text(key), value: value, unclear: nil, cite: none)) }
            }
            row("proceeding_place", words.localized(proceeding.place))
            row("proceeding_judge", proceeding.judge)
            row("proceeding_verdict", proceeding.verdict.map { words.text("verdict_" + RegistryText.key($0.rawValue)) })
            row("proceeding_sentence", proceeding.sentenceYears.map { words.text("sentence_years", count: $0) })
            for event in record.events(of: proceeding) {
                rows.append(FactRow(label: words.eventKind(event.kind), value: words.date(event.date), unclear: nil, cite: none))
            }
            return ProceedingView(
                court: proceeding.court.text(in: language),
                rows: rows,
                charges: proceeding.charges.map { $0.text(in: language) },
                note: words.localized(proceeding.note),
                cite: marks(proceeding.sourcing)
            )
        }
        names = record.names.map { name in
            let details = [
                words.text("script_" + name.script.rawValue.lowercased()),
                words.text("name_kind_" + name.kind.rawValue),
            ].joined(separator: " · ")
            return NameView(text: name.text, lang: name.language, details: details, cite: marks(name.sourcing))
        }
        let byKey = Dictionary(allSources.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        notes = numbers.citations.enumerated().map { index, citation in
            Note(
                number: index + 1,
                sourceTitle: byKey[citation.source]?.title ?? citation.source,
                sourceID: "source-\(citation.source)",
                location: citation.location,
                quote: citation.quote,
                reliability: words.text("reliability_" + citation.reliability.rawValue)
            )
        }
        let cited = Set(numbers.citations.map(\.source))
        sources = allSources.filter { cited.contains($0.key) }.map { source in
            let dates = [
                source.published.map { words.text("source_published", ["date": words.date($0)]) } ?? words.text("source_undated"),
                source.accessed.map { words.text("source_accessed", ["date": words.date($0)]) },
            ].compactMap { $0 }.joined(separator: "; ")
            return SourceView(
                id: "source-\(source.key)",
                title: source.title,
                publisher: source.publisher,
                url: source.url,
                dates: dates,
                note: words.localized(source.note)
            )
        }
        jsonURL = language.path("/api/v1/detainees/\(record.slug)")
    }
}
