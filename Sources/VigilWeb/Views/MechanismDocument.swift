import Foundation
import VigilCore
import VigilStore

/// `/api/v1/mechanism`: the tracker as open data, in the shape openapi.yaml's `Mechanism`
/// describes. Built from a public ``MechanismTracker``, so internal notes are never in it.
struct MechanismDocument: Encodable {
    struct Threshold: Encodable {
        let paragraph: Int
        let requesting: Int
        let supporting: Int
        let required: Int
        let committed: Int
        let remaining: Int
        let reached: Bool
        let verification: String
        let sources: [String]
    }

    struct Note: Encodable {
        let date: String
        let status: String
        let text: String
    }

    struct State: Encodable {
        let code: String
        let name: String
        let status: String
        /// The day of the latest entry.
        let since: String?
        let notes: [Note]
    }

    struct Paragraph: Encodable {
        let text: String
        let verification: String?
        let sources: [String]
    }

    struct Section: Encodable {
        let heading: String
        let paragraphs: [Paragraph]
    }

    struct Explainer: Encodable {
        let language: String
        let title: String
        let summary: String
        let sections: [Section]
    }

    struct Invocation: Encodable {
        let year: Int
        let date: String?
        let concerning: String
        let invoked_by: String
        let invoking_count: Int?
        let paragraph: String?
        let paragraph_verification: String?
        let topic: String
        let experts: String?
        let verification: String
        let caveat: String?
        let sources: [String]
    }

    struct Invocations: Encodable {
        let claimed: Int
        let claimed_source: String
        let sourced: Int
        let counting_note: String
        let count_sources: [String]
        let entries: [Invocation]
    }

    struct Source: Encodable {
        let key: String
        let title: String
        let publisher: String?
        let url: String?
    }

    let generated_at: String
    let language: String
    let organisation: String
    let thresholds: [Threshold]
    let status_counts: [String: Int]
    let states: [State]
    let explainer: Explainer
    let invocations: Invocations
    let sources: [Source]

    init(tracker: MechanismTracker, words: RegistryText, now: Date) {
        let language = words.language
        let content = tracker.content
        let day = Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC") ?? .current).year().month().day()
        generated_at = now.formatted(Date.ISO8601FormatStyle())
        self.language = language.tag
        organisation = content.organisation
        thresholds = zip(content.thresholds, tracker.thresholds).map { rule, meter in
            Threshold(
                paragraph: meter.paragraph, requesting: meter.requesting, supporting: meter.supporting, required: meter.required,
                committed: meter.committed, remaining: meter.remaining, reached: meter.isReached,
                verification: rule.verification.rawValue, sources: rule.sources
            )
        }
        status_counts = Dictionary(uniqueKeysWithValues: AdvocacyStatus.allCases.map { ($0.rawValue, tracker.count($0)) })
        states = tracker.states.map { state in
            State(
                code: state.country.code, name: MechanismTracker.name(of: state.country, words), status: state.status.rawValue,
                since: state.since?.formatted(day),
                notes: state.entries.compactMap { entry in
                    entry.note.map { Note(date: entry.notedOn.formatted(day), status: entry.status.rawValue, text: $0) }
                }
            )
        }
        let explained = content.explainers[language] == nil ? Language.fallback : language
        let text = content.explainer(explained)
        explainer = Explainer(
            language: explained.tag, title: text?.title ?? "", summary: text?.summary ?? "",
            sections: (text?.sections ?? []).map { section in
                Section(heading: section.heading, paragraphs: section.paragraphs.map {
                    Paragraph(text: $0.text, verification: $0.verification?.rawValue, sources: $0.sources ?? [])
                })
            }
        )
        invocations = Invocations(
            claimed: content.invocations.claimed,
            claimed_source: content.invocations.claimedSource,
            sourced: content.invocations.entries.count,
            counting_note: content.invocations.countingNote,
            count_sources: content.invocations.countSources,
            entries: content.invocations.entries.map {
                Invocation(
                    year: $0.year, date: $0.date, concerning: $0.concerning, invoked_by: $0.invokedBy, invoking_count: $0.invokingCount,
                    paragraph: $0.paragraph, paragraph_verification: $0.paragraphVerification?.rawValue, topic: $0.topic,
                    experts: $0.experts, verification: $0.verification.rawValue, caveat: $0.caveat, sources: $0.sources
                )
            }
        )
        sources = content.sources.map { Source(key: $0.key, title: $0.title, publisher: $0.publisher, url: $0.url) }
    }
}
