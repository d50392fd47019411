import Crypto
import Foundation

/// One entry of a petition's tally log, in a fixed binary form that holds no personal data.
///
/// Every entry starts with the format version (1) and its kind; all integers are big-endian:
///
/// | kind | bytes after version and kind |
/// |---|---|
/// | 1 addition | channel (1) ‖ country, 2 ASCII letters ‖ day (4) ‖ commitment (32) ‖ text hash (32) |
/// | 2 revocation | reason (1) ‖ day (4) ‖ leaf index (8) |
/// | 3 reinstatement | day (4) ‖ leaf index (8) |
///
/// The day counts days since 1970-01-01 (UTC). The commitment is SHA-256(nonce ‖ normalised
/// e-mail ‖ petition id as 8 bytes): only someone holding the nonce (the signer's receipt) can
/// tie the entry to an address. docs/architecture.md ("Tally log") describes the format for
/// anyone writing their own verifier.
public enum TallyEntry: Sendable, Equatable {
    /// A signature counted.
    case addition(Addition)
    /// A counted signature taken back out of the count; the leaf it names stays in the log.
    case revocation(Revocation)
    /// A revoked signature counted again (an invalidation undone).
    case reinstatement(Reinstatement)

    /// The format version every entry starts with.
    public static let formatVersion: UInt8 = 1

    /// How a signature reached the campaign.
    public enum Channel: UInt8, Sendable, CaseIterable, Codable {
        case online = 0
        case paper = 1
        case partner = 2

        /// The channel's name in tally.json, the API and the database.
        public var name: String {
            switch self {
            case .online: "online"
            case .paper: "paper"
            case .partner: "partner"
            }
        }

        /// The channel of a name, or `nil` for a name no channel has.
        public init?(name: String) {
            guard let channel = Self.allCases.first(where: { $0.name == name }) else { return nil }
            self = channel
        }
    }

    /// Why a signature stopped counting.
    public enum Reason: UInt8, Sendable, CaseIterable {
        /// Its signer withdrew it.
        case withdrawn = 1
        /// Staff found it invalid.
        case invalidated = 2

        public var name: String {
            switch self {
            case .withdrawn: "withdrawn"
            case .invalidated: "invalidated"
            }
        }
    }

    public struct Addition: Sendable, Equatable {
        public var channel: Channel
        /// ISO 3166-1 alpha-2 country code of the signer's residence.
        public var country: String
        public var day: TallyDay
        /// SHA-256(nonce ‖ normalised e-mail ‖ petition id).
        public var commitment: [UInt8]
        /// SHA-256 of the petition text the signer was shown (``PetitionText/versionHash``).
        public var textHash: [UInt8]

        public init(channel: Channel, country: String, day: TallyDay, commitment: [UInt8], textHash: [UInt8]) {
            self.channel = channel
            self.country = country
            self.day = day
            self.commitment = commitment
            self.textHash = textHash
        }
    }

    public struct Revocation: Sendable, Equatable {
        public var reason: Reason
        public var day: TallyDay
        /// The index of the addition it takes out of the count.
        public var leafIndex: UInt64

        public init(reason: Reason, day: TallyDay, leafIndex: UInt64) {
            self.reason = reason
            self.day = day
            self.leafIndex = leafIndex
        }
    }

    public struct Reinstatement: Sendable, Equatable {
        public var day: TallyDay
        /// The index of the addition it counts again.
        public var leafIndex: UInt64

        public init(day: TallyDay, leafIndex: UInt64) {
            self.day = day
            self.leafIndex = leafIndex
        }
    }

    /// Why bytes are not an entry.
    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        case unknownVersion(UInt8)
        case unknownKind(UInt8)
        case wrongLength(kind: String, expected: Int, actual: Int)
        case badField(String)

        public var description: String {
            switch self {
            case .unknownVersion(let version): "unknown entry format version \(version)"
            case .unknownKind(let kind): "unknown entry kind \(kind)"
            case .wrongLength(let kind, let expected, let actual): "\(kind) entry has \(actual) bytes, not \(expected)"
            case .badField(let detail): detail
            }
        }
    }

    /// The commitment of an addition: SHA-256(nonce ‖ normalised e-mail ‖ petition id, 8 bytes big-endian).
    public static func commitment(nonce: [UInt8], normalisedEmail: String, petitionID: Int64) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: nonce)
        hasher.update(data: Array(normalisedEmail.utf8))
        hasher.update(data: UInt64(bitPattern: petitionID).bigEndianBytes)
        return Array(hasher.finalize())
    }

    /// The canonical bytes of the entry; its leaf hash is SHA-256(0x00 ‖ these bytes).
    public var bytes: [UInt8] {
        var out: [UInt8] = [Self.formatVersion]
        switch self {
        case .addition(let addition):
            out.append(1)
            out.append(addition.channel.rawValue)
            out += Array(addition.country.utf8)
            out += addition.day.bigEndianBytes
            out += addition.commitment
            out += addition.textHash
        case .revocation(let revocation):
            out.append(2)
            out.append(revocation.reason.rawValue)
            out += revocation.day.bigEndianBytes
            out += revocation.leafIndex.bigEndianBytes
        case .reinstatement(let reinstatement):
            out.append(3)
            out += reinstatement.day.bigEndianBytes
            out += reinstatement.leafIndex.bigEndianBytes
        }
        return out
    }

    /// The entry's leaf hash.
    public var leafHash: MerkleHash { MerkleTree.leafHash(bytes) }

    /// Reads an entry from its canonical bytes, refusing anything that is not exactly one.
    public init(bytes: [UInt8]) throws(Problem) {
        guard bytes.count >= 2 else { throw .badField("an entry has at least 2 bytes") }
        guard bytes[0] == Self.formatVersion else { throw .unknownVersion(bytes[0]) }
        let body = Array(bytes[2...])
        switch bytes[1] {
        case 1:
            guard body.count == 71 else { throw .wrongLength(kind: "addition", expected: 73, actual: bytes.count) }
            guard let channel = Channel(rawValue: body[0]) else { throw .badField("unknown channel \(body[0])") }
            let country = String(decoding: body[1...2], as: UTF8.self)
            guard body[1...2].allSatisfy({ (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }) else {
                throw .badField("country is not two capital letters")
            }
            self = .addition(
                Addition(
                    channel: channel,
                    country: country,
                    day: TallyDay(bigEndian: body[3...6]),
                    commitment: Array(body[7..<39]),
                    textHash: Array(body[39..<71])
                )
            )
        case 2:
            guard body.count == 13 else { throw .wrongLength(kind: "revocation", expected: 15, actual: bytes.count) }
            guard let reason = Reason(rawValue: body[0]) else { throw .badField("unknown revocation reason \(body[0])") }
            self = .revocation(Revocation(reason: reason, day: TallyDay(bigEndian: body[1...4]), leafIndex: UInt64(bigEndian: body[5...12])))
        case 3:
            guard body.count == 12 else { throw .wrongLength(kind: "reinstatement", expected: 14, actual: bytes.count) }
            self = .reinstatement(Reinstatement(day: TallyDay(bigEndian: body[0...3]), leafIndex: UInt64(bigEndian: body[4...11])))
        default:
            throw .unknownKind(bytes[1])
        }
    }

    /// The leaf a revocation or reinstatement names; `nil` for an addition.
    public var targetLeaf: UInt64? {
        switch self {
        case .addition: nil
        case .revocation(let revocation): revocation.leafIndex
        case .reinstatement(let reinstatement): reinstatement.leafIndex
        }
    }

    /// The day the entry was made.
    public var day: TallyDay {
        switch self {
        case .addition(let addition): addition.day
        case .revocation(let revocation): revocation.day
        case .reinstatement(let reinstatement): reinstatement.day
        }
    }

    /// The kind's name in tally.json and the API.
    public var kindName: String {
        switch self {
        case .addition: "addition"
        case .revocation: "revocation"
        case .reinstatement: "reinstatement"
        }
    }
}

/// A day in UTC, as days since 1970-01-01: the only time an entry keeps, so entries cannot be
/// lined up with server logs to the second.
public struct TallyDay: Sendable, Hashable, Comparable, Codable {
    public let daysSince1970: UInt32

    public init(daysSince1970: UInt32) {
        self.daysSince1970 = daysSince1970
    }

    /// The UTC day a moment falls on.
    public init(_ date: Date) {
        daysSince1970 = UInt32(clamping: Int((date.timeIntervalSince1970 / 86_400).rounded(.down)))
    }

    init(bigEndian bytes: ArraySlice<UInt8>) {
        daysSince1970 = bytes.reduce(0) { $0 << 8 | UInt32($1) }
    }

    var bigEndianBytes: [UInt8] { daysSince1970.bigEndianBytes }

    /// Midnight UTC at the start of the day.
    public var date: Date { Date(timeIntervalSince1970: Double(daysSince1970) * 86_400) }

    /// `YYYY-MM-DD`, in the proleptic Gregorian calendar.
    ///
    /// Worked out with integers (Howard Hinnant's `civil_from_days`) rather than a date
    /// formatter: the dossier writes one for every entry of the log, and a formatter made a
    /// twentieth of the time it took to build.
    public var iso: String {
        let days = Int(daysSince1970) + 719_468
        let era = days / 146_097
        let dayOfEra = days - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func padded(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(padded(year, 4))-\(padded(month, 2))-\(padded(day, 2))"
    }

    public static func < (lhs: TallyDay, rhs: TallyDay) -> Bool { lhs.daysSince1970 < rhs.daysSince1970 }
}

extension FixedWidthInteger {
    /// The integer's bytes, most significant first.
    var bigEndianBytes: [UInt8] {
        (0..<(Self.bitWidth / 8)).reversed().map { UInt8(truncatingIfNeeded: self >> ($0 * 8)) }
    }

    init(bigEndian bytes: ArraySlice<UInt8>) {
        self = bytes.reduce(0) { $0 << 8 | Self($1) }
    }
}
