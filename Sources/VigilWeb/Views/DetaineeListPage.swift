import Foundation
import VigilCore

/// `/detainees`: everyone the campaign is about, grouped by category with counts, filterable
/// by category and searchable by name, each with how long they have been held.
struct DetaineeListPage {
    /// One person in the list.
    struct Card {
        let href: String
        let name: String
        let initials: String
        /// The other names that matched a search, so a reader sees why the person was found.
        let alsoKnownAs: String?
        let summary: String?
        let heldSince: String?
        let daysHeld: String?
        /// Shown when it says more than the time held: a sentence, a disappearance.
        let status: String?
    }

    struct Group {
        let id: String
        let title: String
        let cards: [Card]
    }

    struct Filter {
        let label: String
        let href: String
        let current: Bool
    }

    let layout: Layout
    let t: [String: String]
    let title: String
    let intro: String
    let query: String
    let resultLine: String?
    let filters: [Filter]
    let groups: [Group]
    let isEmpty: Bool
    let csvURL: String
    let jsonURL: String
    let apiURL: String

    /// - Parameters:
    ///   - shown: the people to list (all, or those a search found), in the order to show them.
    ///   - all: everyone, for the counts in the filters.
    init(
        shown: [PublicDetainee],
        all: [PublicDetainee],
        category: Detainee.Category?,
        query: String,
        words: RegistryText,
        renderer: PageRenderer,
        path: String
    ) {
        let language = words.language
        title = words.text("registry_title")
        layout = renderer.layout(
            language: language, title: title, description: words.text("registry_description"), path: path,
            offered: renderer.languages
        )
        t = renderer.texts(language)
        intro = words.text("registry_intro", count: all.count)
        self.query = query
        let list = language.path("/detainees")
        let search = query.isEmpty ? "" : "q=\(Self.encode(query))"
        filters = [Filter(label: words.text("registry_filter_all", count: all.count), href: search.isEmpty ? list : "\(list)?\(search)", current: category == nil)]
            + Detainee.Category.allCases.map { option in
                Filter(
                    label: words.group(option, count: all.count { $0.record.category == option }),
                    href: "\(list)?category=\(option.rawValue)" + (search.isEmpty ? "" : "&\(search)"),
                    current: option == category
                )
            }
        let filtered = shown.filter { category == nil || $0.record.category == category }
        resultLine = query.isEmpty ? nil : words.text("registry_search_results", count: filtered.count, ["query": query])
        func card(_ person: PublicDetainee) -> Card {
            let record = person.record
            let custody = record.custody
            // When another of the person's names matches the search better than the one shown,
            // show it too, so the reader sees why the person was found.
            let shown = NameIndex<Int>.score(query: query, name: record.displayName)
            let matched = query.isEmpty ? nil : record.names
                .map { (name: $0.text, score: NameIndex<Int>.score(query: query, name: $0.text)) }
                .filter { $0.name != record.displayName && $0.score > shown }
                .max { $0.score < $1.score }?.name
            return Card(
                href: language.path("/detainees/\(record.slug)"),
                name: record.displayName,
                initials: record.initials,
                alsoKnownAs: matched.map { words.text("registry_also_known_as", ["name": $0]) },
                summary: words.localized(record.summary?.value),
                heldSince: words.heldSince(custody),
                daysHeld: words.daysHeld(custody),
                status: custody.status == .held ? nil : words.status(custody)
            )
        }
        if query.isEmpty {
            groups = Detainee.Category.allCases.compactMap { option in
                let people = filtered.filter { $0.record.category == option }
                guard !people.isEmpty else { return nil }
                return Group(id: option.rawValue, title: words.group(option, count: people.count), cards: people.map(card))
            }
        } else {
            // Search results keep their ranking rather than being split into categories.
            groups = filtered.isEmpty ? [] : [Group(id: "results", title: words.text("registry_results_heading"), cards: filtered.map(card))]
        }
        isEmpty = filtered.isEmpty
        csvURL = language.path("/detainees.csv")
        jsonURL = language.path("/detainees.json")
        apiURL = language.path("/api/v1/detainees")
    }

    /// Percent-encodes a query for a link, leaving only ASCII letters, digits and `-._~` as they are.
    static func encode(_ text: String) -> String {
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
