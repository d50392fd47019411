import Foundation

/// A tally entry as JSON, in the API's `entries.json` and the dossier's `tally.json`: the
/// canonical bytes in base64 (what is hashed) beside their meaning spelled out for readers.
///
/// A verifier trusts only `entry`; ``decoded()`` checks that every other field says the same.
public struct TallyEntryRecord: Sendable, Equatable, Codable {
    public var index: UInt64
    /// Standard base64 of ``TallyEntry/bytes``.
    public var entry: String
    public var leafHash: String
    public var kind: String
    public var day: String
    public var channel: String?
    public var country: String?
    public var commitment: String?
    public var textHash: String?
    public var reason: String?
    /// The leaf a revocation or reinstatement names.
    public var leaf: UInt64?

    enum CodingKeys: String, CodingKey {
        case index, entry, leafHash = "leaf_hash", kind, day, channel, country, commitment, textHash = "text_hash", reason, leaf
    }

    /// Why a record does not hold together.
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public let index: UInt64
        public let reason: String
        public var description: String { "entry \(index): \(reason)" }
    }

    public init(index: UInt64, entry: TallyEntry) {
        let bytes = entry.bytes
        self.index = index
        self.entry = Data(bytes).base64EncodedString()
        leafHash = MerkleTree.leafHash(bytes).hex
        kind = entry.kindName
        day = entry.day.iso
        switch entry {
        case .addition(let addition):
            channel = addition.channel.name
            country = addition.country
            commitment = addition.commitment.hexString
            textHash = addition.textHash.hexString
        case .revocation(let revocation):
            reason = revocation.reason.name
            leaf = revocation.leafIndex
        case .reinstatement(let reinstatement):
            leaf = reinstatement.leafIndex
        }
    }

    /// The record as one line of JSON with sorted keys: the same bytes a `JSONEncoder` with
    /// `.sortedKeys` and `.withoutEscapingSlashes` writes, made directly because the dossier
    /// writes one for every entry of the log. Every value is digits, hex, base64 or a fixed name,
    /// so nothing needs escaping.
    public var json: String {
        var fields: [String] = []
        func text(_ key: String, _ value: String?) {
            if let value { fields.append("\"\(key)\":\"\(value)\"") }
        }
        func number(_ key: String, _ value: UInt64?) {
            if let value { fields.append("\"\(key)\":\(value)") }
        }
        text("channel", channel)
        text("commitment", commitment)
        text("country", country)
        text("day", day)
        text("entry", entry)
        number("index", index)
        text("kind", kind)
        number("leaf", leaf)
        text("leaf_hash", leafHash)
        text("reason", reason)
        text("text_hash", textHash)
        return "{" + fields.joined(separator: ",") + "}"
    }

    /// The entry the canonical bytes hold, after checking that the spelled-out fields agree with them.
    public func decoded() throws(Problem) -> (entry: TallyEntry, bytes: [UInt8]) {
        guard let data = Data(base64Encoded: entry) else { throw Problem(index: index, reason: "`entry` is not base64") }
        let bytes = Array(data)
        let parsed: TallyEntry
        do {
            parsed = try TallyEntry(bytes: bytes)
        } catch {
            throw Problem(index: index, reason: "\(error)")
        }
        guard TallyEntryRecord(index: index, entry: parsed) == self else {
            throw Problem(index: index, reason: "its fields do not say what its bytes say")
        }
        return (parsed, bytes)
    }
}
