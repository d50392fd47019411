import Foundation
import VigilCore
import VigilStore

/// The OSCE participating States as a tile-grid map: one equal square each, roughly where the
/// State lies, shaded by where the campaign stands with it or by how many signed from it.
///
/// Square tiles give a small State the same weight as a large one, which suits a body where
/// each State has one voice. The map is SVG drawn on the server; every figure it shows is also
/// in its legend and in the text beside it, so nothing depends on seeing the colours.
struct StateTileMap {
    struct Tile {
        let x: String
        let y: String
        let textX: String
        let textY: String
        let code: String
        /// The CSS class naming the shade.
        let shade: String
        let title: String
    }

    struct Key {
        let shade: String
        let label: String
    }

    static let size = 40
    static let gap = 4

    let width: Int
    let height: Int
    let size = Self.size
    let tiles: [Tile]
    let legend: [Key]
    let label: String

    private init(shades: [String: String], titles: [String: String], legend: [Key], label: String) {
        let step = Self.size + Self.gap
        width = StateTileGrid.columns * step - Self.gap
        height = StateTileGrid.rows * step - Self.gap
        tiles = StateTileGrid.tiles.map { tile in
            Tile(
                x: String(tile.column * step), y: String(tile.row * step),
                textX: String(tile.column * step + Self.size / 2), textY: String(tile.row * step + Self.size / 2 + 5),
                code: tile.country, shade: shades[tile.country] ?? "none", title: titles[tile.country] ?? tile.country
            )
        }
        self.legend = legend
        self.label = label
    }

    /// Whether the grid has exactly these States: the map is drawn only for the organisation it
    /// was laid out for.
    static func covers(_ codes: [String]) -> Bool {
        Set(codes) == Set(StateTileGrid.tiles.map(\.country))
    }

    /// The States shaded by the campaign's standing with each, for the Moscow Mechanism page.
    static func byStatus(_ tracker: MechanismTracker, words: RegistryText) -> StateTileMap {
        var shades: [String: String] = [:]
        var titles: [String: String] = [:]
        for state in tracker.states {
            shades[state.country.code] = "status-\(state.status.rawValue)"
            titles[state.country.code] = "\(MechanismTracker.name(of: state.country, words)): "
                + words.text("mechanism_state_" + RegistryText.key(state.status.rawValue))
        }
        return StateTileMap(
            shades: shades,
            titles: titles,
            legend: AdvocacyStatus.allCases.map { status in
                Key(
                    shade: "status-\(status.rawValue)",
                    label: words.text("mechanism_status_" + RegistryText.key(status.rawValue), count: tracker.count(status))
                )
            },
            label: words.text("map_status_label")
        )
    }

    /// The States shaded by the signatures confirmed from each, in steps of ten, for the
    /// petition page.
    static func bySignatures(_ byCountry: [String: Int], language: Language, catalogue: MessageCatalogue) -> StateTileMap {
        let steps = [(1, 9), (10, 99), (100, 999), (1_000, Int.max)]
        let number = { (value: Int) in value.formatted(.number.locale(language.locale)) }
        var shades: [String: String] = [:]
        var titles: [String: String] = [:]
        for tile in StateTileGrid.tiles {
            let count = byCountry[tile.country] ?? 0
            let step = steps.firstIndex { $0.0 <= count && count <= $0.1 }
            shades[tile.country] = step.map { "signatures-\($0 + 1)" } ?? "signatures-0"
            let name = tile.country == "VA" ? catalogue.text("mechanism_holy_see", in: language)
                : Country(code: tile.country)?.name(in: language) ?? tile.country
            titles[tile.country] = "\(name): " + catalogue.text("committee_signatures", count: count, in: language)
        }
        var legend = [Key(shade: "signatures-0", label: catalogue.text("map_signatures_none", in: language))]
        for (index, (low, high)) in steps.enumerated() {
            let label = high == Int.max
                ? catalogue.text("map_signatures_at_least", in: language, ["low": number(low)])
                : catalogue.text("map_signatures_range", in: language, ["low": number(low), "high": number(high)])
            legend.append(Key(shade: "signatures-\(index + 1)", label: label))
        }
        return StateTileMap(shades: shades, titles: titles, legend: legend, label: catalogue.text("map_signatures_label", in: language))
    }
}
