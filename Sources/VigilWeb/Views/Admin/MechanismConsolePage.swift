import Foundation
import VigilCore
import VigilStore

/// The console's tracker page: the form that records a change, each State's status, and every
/// entry ever recorded, newest first, internal notes marked as such.
struct MechanismConsolePage {

    struct StateRow {
        let code: String
        let name: String
        let status: String
        let since: String
        let entries: Int
    }

    struct Entry {
        let date: String
        let state: String
        let status: String
        let note: String?
        let isInternal: Bool
        let actor: String
        let recorded: String
    }

    let values: [String: String]
    let errors: [String: String]
    let hasErrors: Bool
    let countries: [SelectOption]
    let statuses: [SelectOption]
    let visibilities: [SelectOption]
    let summary: String
    let states: [StateRow]
    let history: [Entry]
    let hasHistory: Bool
    let maximumNote = Store.maximumAdvocacyNote

    init(tracker: MechanismTracker, values: [String: String], errors: [String: String], words: RegistryText) {
        let language = words.language
        let utc = TimeZone(identifier: "UTC") ?? .current
        let day = Date.FormatStyle(date: .abbreviated, time: .omitted, timeZone: utc).locale(language.locale)
        let moment = Date.FormatStyle(date: .abbreviated, time: .shortened, timeZone: utc).locale(language.locale)
        func statusName(_ status: AdvocacyStatus) -> String {
            words.text("mechanism_state_" + RegistryText.key(status.rawValue))
        }
        self.values = values
        self.errors = errors
        hasErrors = !errors.isEmpty
        let names = Dictionary(tracker.states.map { ($0.country.code, MechanismTracker.name(of: $0.country, words)) }) { first, _ in first }
        let sorted = tracker.states.sorted { names[$0.country.code, default: ""] < names[$1.country.code, default: ""] }
        countries = sorted.map {
            SelectOption(value: $0.country.code, label: names[$0.country.code, default: $0.country.code], selected: values["country"] == $0.country.code)
        }
        statuses = AdvocacyStatus.allCases.map { SelectOption(value: $0.rawValue, label: statusName($0), selected: values["status"] == $0.rawValue) }
        visibilities = NoteVisibility.allCases.map {
            SelectOption(
                value: $0.rawValue,
                label: words.text($0 == .public ? "admin_mechanism_note_public" : "admin_mechanism_note_internal"),
                selected: values["visibility"] == $0.rawValue
            )
        }
        summary = tracker.thresholds.map { meter in
            words.text("admin_mechanism_threshold", [
                "paragraph": String(meter.paragraph), "committed": words.number(meter.committed), "required": words.number(meter.required),
            ])
        }.joined(separator: " · ")
        states = sorted.map { state in
            StateRow(
                code: state.country.code, name: names[state.country.code, default: state.country.code], status: statusName(state.status),
                since: state.since?.formatted(day) ?? "", entries: state.entries.count
            )
        }
        history = tracker.states.flatMap(\.entries).sorted { $0.id > $1.id }.map { entry in
            Entry(
                date: entry.notedOn.formatted(day), state: names[entry.country] ?? entry.country, status: statusName(entry.status),
                note: entry.note, isInternal: entry.noteVisibility == .internal, actor: entry.actor, recorded: entry.recordedAt.formatted(moment)
            )
        }
        hasHistory = !history.isEmpty
    }
}
