import SQLKit
import VigilCore

/// How many confirmed signatures a petition has, in total, by channel, country, committee and day.
public struct PetitionCounts: Sendable, Equatable {
    /// Milliseconds in a day: stored times divided by it give days since 1970, in UTC.
    public static let dayMilliseconds: Int64 = 86_400_000

    public var confirmed: Int
    /// Confirmed signatures by the channel they came through (``TallyEntry/Channel/name``):
    /// online, on paper or from a partner site.
    public var byChannel: [String: Int]
    /// Confirmed signatures by ISO 3166-1 alpha-2 country code.
    public var byCountry: [String: Int]
    /// Confirmed signatures credited to each committee, by committee id.
    public var byCommittee: [Int64: Int]
    /// Confirmed signatures by the UTC day they were confirmed on, in days since 1970; a day
    /// without any may be missing or zero.
    public var byDay: [Int64: Int]
    /// Signatures held back for review; never counted.
    public var held: Int
    /// Increases with every committed change, so caches know when to render again.
    public var version: Int64
    /// Increases when staff change the petition's texts, goal, tallies or state, so the cached
    /// content is read again.
    public var contentVersion: Int64

    public init(
        confirmed: Int = 0, byChannel: [String: Int] = [:], byCountry: [String: Int] = [:], byCommittee: [Int64: Int] = [:], byDay: [Int64: Int] = [:], held: Int = 0,
        version: Int64 = 0, contentVersion: Int64 = 0
    ) {
        self.confirmed = confirmed
        self.byChannel = byChannel
        self.byCountry = byCountry
        self.byCommittee = byCommittee
        self.byDay = byDay
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
        let channelQuery: SQLQueryString = "SELECT petition_id, channel, confirmed_count FROM channel_counts" + filter
        for row in try await database.raw(channelQuery).all() {
            let id = try row.decode(column: "petition_id", as: Int64.self)
            let channel = try row.decode(column: "channel", as: String.self)
            result[id, default: PetitionCounts()].byChannel[channel] = try row.decode(column: "confirmed_count", as: Int.self)
        }
        let committeeQuery: SQLQueryString = "SELECT petition_id, committee_id, confirmed_count FROM committee_counts" + filter
        for row in try await database.raw(committeeQuery).all() {
            let id = try row.decode(column: "petition_id", as: Int64.self)
            let committee = try row.decode(column: "committee_id", as: Int64.self)
            result[id, default: PetitionCounts()].byCommittee[committee] = try row.decode(column: "confirmed_count", as: Int.self)
        }
        let dayQuery: SQLQueryString = "SELECT petition_id, day, confirmed_count FROM daily_counts" + filter
        for row in try await database.raw(dayQuery).all() {
            let id = try row.decode(column: "petition_id", as: Int64.self)
            let day = try row.decode(column: "day", as: Int64.self)
            result[id, default: PetitionCounts()].byDay[day] = try row.decode(column: "confirmed_count", as: Int.self)
        }
        return result
    }
}
