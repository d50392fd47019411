import Foundation
import Testing
import VigilCore

/// The participating States as the shipped campaign content lists them (its member list of
/// the OSCE, which the tracker shows), read from the `- code: XX` lines.
private func participatingStates() throws -> [String] {
    let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Content/organisations/osce.yaml")
    return try String(contentsOf: file, encoding: .utf8).split(separator: "\n").compactMap { line in
        line.trimmingCharacters(in: .whitespaces).hasPrefix("- code: ") ? String(line.suffix(2)) : nil
    }
}

private func touching(_ a: String, _ b: String) throws -> Bool {
    let a = try #require(StateTileGrid.tile(for: a)), b = try #require(StateTileGrid.tile(for: b))
    return a != b && abs(a.column - b.column) <= 1 && abs(a.row - b.row) <= 1
}

@Suite("State tile grid")
struct StateTileGridTests {
    @Test("every participating State in the campaign's list has exactly one tile, and no other country has one")
    func everyStateHasOneTile() throws {
        let codes = try participatingStates()
        #expect(codes.count == 57)
        for code in codes {
            #expect(StateTileGrid.tiles.filter { $0.country == code }.count == 1, "\(code)")
        }
        #expect(Set(StateTileGrid.tiles.map(\.country)) == Set(codes))
        #expect(StateTileGrid.tiles.count == codes.count)
    }

    @Test("there are 57 tiles, each for a different State named by two capital letters")
    func tiles() {
        #expect(StateTileGrid.tiles.count == 57)
        #expect(Set(StateTileGrid.tiles.map(\.country)).count == 57)
        for tile in StateTileGrid.tiles {
            #expect(tile.country.count == 2 && tile.country.allSatisfy { $0.isASCII && $0.isUppercase }, "\(tile.country)")
        }
    }

    @Test("no two tiles share a square")
    func squaresAreDistinct() {
        let squares = StateTileGrid.tiles.map { [$0.column, $0.row] }
        #expect(Set(squares).count == squares.count)
    }

    @Test("every tile lies within the grid, and the grid has no empty edge")
    func withinGrid() {
        let tiles = StateTileGrid.tiles
        for tile in tiles {
            #expect((0..<StateTileGrid.columns).contains(tile.column), "\(tile.country)")
            #expect((0..<StateTileGrid.rows).contains(tile.row), "\(tile.country)")
        }
        #expect(tiles.map(\.column).min() == 0 && tiles.map(\.column).max() == StateTileGrid.columns - 1)
        #expect(tiles.map(\.row).min() == 0 && tiles.map(\.row).max() == StateTileGrid.rows - 1)
    }

    @Test("a tile is found by its State's code in any case", arguments: ["FR", "fr", "Fr", "fR"])
    func found(code: String) throws {
        let tile = try #require(StateTileGrid.tile(for: code))
        #expect(tile.country == "FR")
        #expect(tile == StateTileGrid.tiles.first { $0.country == "FR" })
    }

    @Test("a code that is not a participating State's finds no tile", arguments: [
        "", "..", "XX", "CN", "XK", "FRA", "F", " FR", "FR ", "ＦＲ",
    ])
    func notFound(code: String) {
        #expect(StateTileGrid.tile(for: code) == nil)
    }

    @Test("neighbours touch, across a side or a corner", arguments: [
        ("AM", "GE"), ("AM", "AZ"), ("AM", "TR"), ("AZ", "GE"), ("AZ", "TR"), ("GE", "TR"),
        ("FR", "ES"), ("FR", "DE"), ("US", "CA"), ("KZ", "RU"),
    ])
    func neighboursTouch(a: String, b: String) throws {
        #expect(try touching(a, b))
    }

    @Test("North America is furthest west and Mongolia furthest east")
    func ends() throws {
        let northAmerica = try ["CA", "US"].map { try #require(StateTileGrid.tile(for: $0)).column }
        let mongolia = try #require(StateTileGrid.tile(for: "MN")).column
        for tile in StateTileGrid.tiles where !["CA", "US", "MN"].contains(tile.country) {
            #expect(northAmerica.allSatisfy { $0 < tile.column } && tile.column < mongolia, "\(tile.country)")
        }
    }
}
