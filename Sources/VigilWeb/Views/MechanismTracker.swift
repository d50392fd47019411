import Foundation
import VigilCore
import VigilStore

/// Where the campaign stands on the Moscow Mechanism, worked out once from the tracked States
/// and their history, for the public page, the API and the console alike.
struct MechanismTracker {
    /// One participating State: its latest status and what was recorded about it, oldest first.
    struct State {
        let country: Country
        let status: AdvocacyStatus
        /// The day of the latest entry; `nil` while nothing is recorded.
        let since: Date?
        let entries: [AdvocacyEntry]
    }

    let content: MechanismContent
    /// In the order of their codes.
    let states: [State]
    /// The meters, in the content's order, counting the States committed to invoke.
    let thresholds: [MechanismThreshold]

    init(content: MechanismContent, countries: [Country], history: [AdvocacyEntry]) {
        let byCountry = Dictionary(grouping: history, by: \.country)
        self.content = content
        states = countries.sorted().map { country in
            let entries = byCountry[country.code] ?? []
            return State(country: country, status: entries.last?.status ?? .notContacted, since: entries.last?.notedOn, entries: entries)
        }
        let committed = states.count { $0.status == .committed }
        thresholds = content.thresholds.map {
            MechanismThreshold(paragraph: $0.paragraph, requesting: $0.requesting, supporting: $0.supporting, committed: committed)
        }
    }

    /// A State's name in a language. The participating State is the Holy See, whose territory
    /// the usual country lists call Vatican City; the tracker uses the OSCE's name.
    static func name(of country: Country, _ words: RegistryText) -> String {
        country.code == "VA" ? words.text("mechanism_holy_see") : country.name(in: words.language)
    }

    /// How many States have each status.
    func count(_ status: AdvocacyStatus) -> Int {
        states.count { $0.status == status }
    }
}

extension VigilServices {
    /// The tracker as of now, for the public (internal notes never read) or for staff;
    /// `nil` when the campaign has no tracker.
    func mechanismTracker(for audience: Store.AdvocacyAudience) async throws -> MechanismTracker? {
        guard let content = mechanism else { return nil }
        return MechanismTracker(
            content: content,
            countries: try await store.memberCountries(ofOrganisation: content.organisation),
            history: try await store.advocacyHistory(for: audience)
        )
    }
}
