import Foundation
import VigilCore
import VigilStore

/// `/mechanism`: what the Moscow Mechanism is and how it is set in motion, the two thresholds
/// with how many States have committed, every participating State grouped by status with its
/// public notes, and the earlier invocations the campaign could source.
struct MechanismPage {
    /// A numbered link to one of the page's sources.
    struct Citation {
        let number: Int
        let href: String
    }

    struct Paragraph {
        let text: String
        /// Said beside a paragraph that is not verified against the primary text.
        let caution: String?
        let citations: [Citation]
        let hasCitations: Bool
    }

    struct Section {
        let heading: String
        let paragraphs: [Paragraph]
    }

    struct Meter {
        let id: String
        let heading: String
        let rule: String
        let progress: String
        let remaining: String
        let percent: Int
        let reached: Bool
        let caution: String?
        let citations: [Citation]
    }

    struct Note {
        let date: String
        let isoDate: String
        let text: String
    }

    struct StateView {
        let code: String
        let name: String
        let since: String?
        let notes: [Note]
        let hasNotes: Bool
    }

    struct Group {
        let id: String
        let title: String
        let states: [StateView]
        /// A group without notes is a plain list of names, set in columns so it stays short on a phone.
        let hasNotes: Bool
    }

    /// A link to a source, named by its site so that a row of them stays short on a phone.
    struct SourceLink {
        let href: String
        let site: String
    }

    struct Invocation {
        let date: String
        let concerning: String
        let invokedBy: String
        let paragraph: String?
        let topic: String
        let experts: String?
        let caution: String?
        let sources: [SourceLink]
    }

    struct SourceView {
        let number: Int
        let title: String
        let publisher: String?
        let url: String?
    }

    let layout: Layout
    let t: [String: String]
    let title: String
    let summary: String
    /// Said when the explanation is shown in English because the page's language has none.
    let explainerInEnglish: Bool
    let sections: [Section]
    let meters: [Meter]
    let statesIntro: String
    let groups: [Group]
    /// `nil` when the tracked States are not the OSCE's, which is the only grid drawn.
    let map: StateTileMap?
    let invocationsIntro: String
    let countingNote: String
    let invocations: [Invocation]
    let sources: [SourceView]
    let jsonURL: String

    init(tracker: MechanismTracker, words: RegistryText, renderer: PageRenderer, path: String) {
        let language = words.language
        let content = tracker.content
        let explainer = content.explainer(language)
        title = explainer?.title ?? words.text("mechanism_title")
        summary = explainer?.summary ?? ""
        explainerInEnglish = content.explainers[language] == nil
        layout = renderer.layout(language: language, title: title, description: summary, path: path, offered: renderer.languages)
        t = renderer.texts(language)
        let numbers = Dictionary(content.sources.enumerated().map { ($1.key, $0 + 1) }) { first, _ in first }
        func citations(_ keys: [String]) -> [Citation] {
            keys.compactMap { numbers[$0] }.sorted().map { Citation(number: $0, href: "#source-\($0)") }
        }
        func caution(_ verification: Verification?) -> String? {
            switch verification {
            case .secondary: words.text("mechanism_secondary")
            case .unverified: words.text("mechanism_unverified")
            case .verified, nil: nil
            }
        }
        sections = (explainer?.sections ?? []).map { section in
            Section(heading: section.heading, paragraphs: section.paragraphs.map { paragraph in
                let cited = citations(paragraph.sources ?? [])
                return Paragraph(text: paragraph.text, caution: caution(paragraph.verification), citations: cited, hasCitations: !cited.isEmpty)
            })
        }
        meters = zip(content.thresholds, tracker.thresholds).map { rule, meter in
            let values = [
                "paragraph": words.number(meter.paragraph), "supporting": words.number(meter.supporting),
                "required": words.number(meter.required), "committed": words.number(meter.committed),
            ]
            return Meter(
                id: "paragraph-\(meter.paragraph)",
                heading: words.text("mechanism_meter_heading", values),
                rule: words.text("mechanism_meter_rule", count: meter.supporting, values),
                progress: words.text("mechanism_meter_progress", count: meter.committed, values),
                remaining: meter.isReached
                    ? words.text("mechanism_meter_reached") : words.text("mechanism_meter_remaining", count: meter.remaining),
                percent: meter.percent,
                reached: meter.isReached,
                caution: caution(rule.verification),
                citations: citations(rule.sources)
            )
        }
        let utc = TimeZone(identifier: "UTC") ?? .current
        let day = Date.FormatStyle(date: .long, time: .omitted, timeZone: utc).locale(language.locale)
        let iso = Date.ISO8601FormatStyle(timeZone: utc).year().month().day()
        map = StateTileMap.covers(tracker.states.map(\.country.code)) ? .byStatus(tracker, words: words) : nil
        groups = AdvocacyStatus.allCases.compactMap { status -> Group? in
            let states = tracker.states.filter { $0.status == status }
            guard !states.isEmpty else { return nil }
            let views = states.map { state -> StateView in
                let notes = state.entries.reversed().compactMap { entry -> Note? in
                    entry.note.map { Note(date: entry.notedOn.formatted(day), isoDate: entry.notedOn.formatted(iso), text: $0) }
                }
                return StateView(
                    code: state.country.code, name: MechanismTracker.name(of: state.country, words),
                    since: state.since.map { words.text("mechanism_since", ["date": $0.formatted(day)]) },
                    notes: notes, hasNotes: !notes.isEmpty
                )
            }.sorted { (left: StateView, right: StateView) in left.name.compare(right.name, locale: language.locale) == .orderedAscending }
            return Group(
                id: "status-\(status.rawValue)",
                title: words.text("mechanism_status_" + RegistryText.key(status.rawValue), count: states.count),
                states: views,
                hasNotes: views.contains { $0.hasNotes }
            )
        }
        statesIntro = words.text("mechanism_states_intro", count: tracker.states.count)
        let invocationCount = content.invocations.entries.count
        invocationsIntro = words.text(
            "mechanism_invocations_intro", count: invocationCount,
            ["claimed": words.number(content.invocations.claimed)]
        )
        countingNote = content.invocations.countingNote
        invocations = content.invocations.entries.reversed().map { entry in
            let date = entry.date.flatMap { PartialDate($0) }.map { words.date($0) } ?? String(entry.year)
            let paragraph = entry.paragraph.map { number in
                [words.text("mechanism_paragraph", ["paragraph": number]), caution(entry.paragraphVerification)]
                    .compactMap { $0 }.joined(separator: " · ")
            }
            let cautions = [caution(entry.verification), entry.caveat].compactMap { $0 }
            return Invocation(
                date: date, concerning: entry.concerning, invokedBy: entry.invokedBy, paragraph: paragraph, topic: entry.topic,
                experts: entry.experts, caution: cautions.isEmpty ? nil : cautions.joined(separator: " · "),
                sources: entry.sources.map { url in
                    let host = URLComponents(string: url)?.host ?? url
                    return SourceLink(href: url, site: host.hasPrefix("www.") ? String(host.dropFirst(4)) : host)
                }
            )
        }
        sources = content.sources.enumerated().map { index, source in
            SourceView(number: index + 1, title: source.title, publisher: source.publisher, url: source.url)
        }
        jsonURL = "/api/v1/mechanism"
    }
}
