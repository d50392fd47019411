/// A tile-grid map of the 57 OSCE participating States: each State is one equal square, placed
/// so that its neighbours are roughly where they are on a real map.
///
/// The grid only says where each tile goes; colouring the tiles (by advocacy status or by
/// signatures) and drawing them is the page's business.
public enum StateTileGrid {
    /// One State's square on the grid.
    public struct Tile: Sendable, Equatable {
        /// The State's ISO 3166-1 alpha-2 code, upper case.
        public let country: String
        /// Counted from zero at the left (west).
        public let column: Int
        /// Counted from zero at the top (north).
        public let row: Int
    }

    // The map as it is drawn: one line a row, one code or `..` (no State) a column. Rows follow
    // latitude and columns longitude, bent where equal squares cannot keep both:
    // - North America stands on the left, an empty column of Atlantic away from Europe.
    // - Iceland, Norway, Sweden, Finland and Estonia make the top row; Lithuania and Latvia lie
    //   beside Denmark, at its latitude, so that Belarus can sit east of Poland.
    // - The Benelux States lie west of Germany, with France below Luxembourg, where it touches
    //   both Germany and Spain; Switzerland is under Germany.
    // - A microstate takes a square between the States around it: Luxembourg between Belgium
    //   and Germany above France, Liechtenstein where Switzerland and Austria meet, Andorra
    //   between France and Spain, Monaco between Andorra and Italy; the Holy See is under Italy
    //   with San Marino beside it and Malta below, and Cyprus is under Türkiye.
    // - The Balkans hang below Austria, Hungary, Romania and Moldova; Türkiye lies east of them.
    // - Russia, one square however large, stands east of Belarus, with Kazakhstan east of it,
    //   the rest of Central Asia below Kazakhstan and Mongolia furthest east.
    // - Georgia, Azerbaijan, Türkiye and Armenia share a two-by-two block, so each touches the
    //   other three.
    private static let map = """
        .. .. IS .. NO SE FI EE .. .. .. .. ..
        CA .. IE GB NL DK LT LV .. .. .. .. ..
        US .. .. BE LU DE PL BY RU KZ .. .. MN
        .. .. .. .. FR CH CZ SK UA .. UZ KG ..
        .. .. PT ES AD LI AT HU RO MD TM TJ ..
        .. .. .. .. MC IT SI HR RS BG GE AZ ..
        .. .. .. .. .. VA SM BA ME MK TR AM ..
        .. .. .. .. .. MT .. .. AL GR CY .. ..
        """

    private static let cells: [[Substring]] = map.split(separator: "\n").map { $0.split(separator: " ") }

    /// Every participating State's tile, row by row from the top left.
    public static let tiles: [Tile] = cells.enumerated().flatMap { row, line in
        line.enumerated().compactMap { column, code in
            code == ".." ? nil : Tile(country: String(code), column: column, row: row)
        }
    }

    /// The width of the grid in tiles.
    public static let columns = cells.map(\.count).max() ?? 0

    /// The height of the grid in tiles.
    public static let rows = cells.count

    /// The tile of the State with this ISO 3166-1 alpha-2 code, in any case; nil if the code is
    /// not a participating State's.
    public static func tile(for country: String) -> Tile? {
        let code = country.uppercased()
        return tiles.first { $0.country == code }
    }
}
