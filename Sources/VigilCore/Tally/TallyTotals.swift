/// What a tally log adds up to: the count and its breakdowns, recomputed from the entries alone.
///
/// Counting takes two passes so that memory stays flat however long the log is: the first
/// (``TallyRevocations``) learns which additions end up revoked, the second adds up.
public struct TallyTotals: Sendable, Equatable, Codable {
    public var entries = 0
    public var additions = 0
    public var revocations = 0
    public var reinstatements = 0
    /// Additions minus revocations plus reinstatements: the signatures that count.
    public var counted = 0
    /// Counted signatures by channel name (`online`, `paper`, `partner`).
    public var byChannel: [String: Int] = [:]
    /// Counted signatures by ISO 3166-1 alpha-2 country.
    public var byCountry: [String: Int] = [:]
    /// Counted signatures by the UTC day of their addition, `YYYY-MM-DD`.
    public var byDay: [String: Int] = [:]
    /// Counted signatures by the hex hash of the petition text signed.
    public var byText: [String: Int] = [:]

    public init() {}

    enum CodingKeys: String, CodingKey {
        case entries, additions, revocations, reinstatements, counted
        case byChannel = "by_channel", byCountry = "by_country", byDay = "by_day", byText = "by_text"
    }

    /// Adds one entry; `stillCounted` says whether an addition is counted at the end of the log.
    public mutating func add(_ entry: TallyEntry, stillCounted: Bool) {
        entries += 1
        switch entry {
        case .addition(let addition):
            additions += 1
            counted += 1
            guard stillCounted else { return }
            byChannel[addition.channel.name, default: 0] += 1
            byCountry[addition.country, default: 0] += 1
            byDay[addition.day.iso, default: 0] += 1
            byText[addition.textHash.hexString, default: 0] += 1
        case .revocation:
            revocations += 1
            counted -= 1
        case .reinstatement:
            reinstatements += 1
            counted += 1
        }
    }

    /// Both passes over entries held in memory.
    public static func of(_ entries: [TallyEntry]) throws(TallyRevocations.Problem) -> TallyTotals {
        var revocations = TallyRevocations()
        for entry in entries { try revocations.read(entry) }
        var totals = TallyTotals()
        for (index, entry) in entries.enumerated() {
            totals.add(entry, stillCounted: revocations.isCounted(leaf: UInt64(index)))
        }
        return totals
    }

    /// Whether the breakdowns add up to the count, as they must for a well-formed log.
    public var isConsistent: Bool {
        byChannel.values.reduce(0, +) == counted && byCountry.values.reduce(0, +) == counted
            && byDay.values.reduce(0, +) == counted && byText.values.reduce(0, +) == counted
    }
}

/// The first pass over a log: checks that every revocation names a counted addition and every
/// reinstatement a revoked one, and remembers which additions end up revoked. It keeps a little
/// for each revocation, nothing for each addition.
public struct TallyRevocations: Sendable {
    private var finalState: [UInt64: Bool] = [:]
    private var notAdditions: Set<UInt64> = []
    /// Entries read so far.
    public private(set) var size: UInt64 = 0

    /// Why a log is not well formed.
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public let index: UInt64
        public let reason: String
        public var description: String { "entry \(index): \(reason)" }
    }

    public init() {}

    /// Reads the next entry of the log.
    public mutating func read(_ entry: TallyEntry) throws(Problem) {
        try read(entry, at: size)
    }

    /// Reads the entry at `index`. Additions may be skipped, so that a store can read only the
    /// revocations and reinstatements; those must come in order.
    public mutating func read(_ entry: TallyEntry, at index: UInt64) throws(Problem) {
        guard index >= size else { throw Problem(index: index, reason: "comes after entry \(size - 1) in the log") }
        guard index < .max else { throw Problem(index: index, reason: "is past the largest index a log can hold") }
        size = index + 1
        guard let target = entry.targetLeaf else { return }
        notAdditions.insert(index)
        guard target < index, !notAdditions.contains(target) else {
            throw Problem(index: index, reason: "names entry \(target), which is not an earlier addition")
        }
        let counted = finalState[target] ?? true
        switch entry {
        case .revocation where !counted:
            throw Problem(index: index, reason: "revokes entry \(target), which is already revoked")
        case .reinstatement where counted:
            throw Problem(index: index, reason: "reinstates entry \(target), which is counted")
        default:
            finalState[target] = !counted
        }
    }

    /// Whether the entry at `leaf`, if an addition, is counted at the end of the log.
    public func isCounted(leaf: UInt64) -> Bool {
        finalState[leaf] ?? true
    }
}
