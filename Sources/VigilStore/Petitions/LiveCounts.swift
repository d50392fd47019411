import SQLKit
import VigilCore

/// How many confirmed signatures a petition has, in total and by country.
public struct PetitionCounts: Sendable, Equatable {
    public var confirmed: Int
    /// Confirmed signatures by ISO 3166-1 alpha-2 country code.
    public var byCountry: [String: Int]
    /// Signatures held back for review; never counted.
    public var held: Int
    /// Increases with every committed change, so caches know when to render again.
    public var version: Int64
    /// Increases when staff change the petition's texts, goal, tallies or state, so the cached
    /// content is read again.
    public var contentVersion: Int64

    public init(confirmed: Int = 0, byCountry: [String: Int] = [:], held: Int = 0, version: Int64 = 0, contentVersion: Int64 = 0) {
        self.confirmed = confirmed
        self.byCountry = byCountry
        self.held = held
        self.version = version
        self.contentVersion = contentVersion
    }
}

/// The counts of every petition, held in memory and replaced by the signature writer after
/// each commit, so that pages and `count.json` never count rows.
public final class LiveCounts: Sendable {
    private let counts = Locked<[Int64: PetitionCounts]>([:])

    public init() {}

    /// The counts of one petition; zero for a petition with no signatures yet.
    public func counts(forPetition id: Int64) -> PetitionCounts {
        counts.withLock { $0[id] } ?? PetitionCounts()
    }

    func replace(_ all: [Int64: PetitionCounts]) {
        counts.withLock { $0 = all }
    }

    /// Takes newer counts. Two writers may finish in either order; the one that read the
    /// higher version holds the newer truth, so an older reading never replaces it.
    public func update(_ some: [Int64: PetitionCounts]) {
        counts.withLock { counts in
            for (id, value) in some where value.version >= (counts[id]?.version ?? Int64.min) {
                counts[id] = value
            }
        }
    }
}

extension Store {
    /// Reads the counter tables, for all petitions or the given ones.
    static func readCounts(from database: any SQLDatabase, petitionIDs: [Int64]?) async throws -> [Int64: PetitionCounts] {
        let filter: SQLQueryString = petitionIDs.map { " WHERE petition_id IN (\(binds: $0))" } ?? ""
        var result: [Int64: PetitionCounts] = [:]
        let counterQuery: SQLQueryString =
            "SELECT petition_id, confirmed_count, held_count, version, content_version FROM petition_counters" + filter
        for row in try await database.raw(counterQuery).all() {
            let id = try row.decode(column: "petition_id", as: Int64.self)
            result[id] = PetitionCounts(
                confirmed: try row.decode(column: "confirmed_count", as: Int.self),
                held: try row.decode(column: "held_count", as: Int.self),
                version: try row.decode(column: "version", as: Int64.self),
                contentVersion: try row.decode(column: "content_version", as: Int64.self)
            )
        }
        let countryQuery: SQLQueryString = "SELECT petition_id, country, confirmed_count FROM country_counts" + filter
        for row in try await database.raw(countryQuery).all() {
            let id = try row.decode(column: "petition_id", as: Int64.self)
            let country = try row.decode(column: "country", as: String.self)
            result[id, default: PetitionCounts()].byCountry[country] = try row.decode(column: "confirmed_count", as: Int.self)
        }
        return result
    }
}
