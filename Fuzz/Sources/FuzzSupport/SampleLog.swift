import Foundation
import VigilCore

/// A small real tally log for the seeds: signatures from three countries on two days, one
/// withdrawn and one set aside and counted again, with the tree head signed by ``Fuzz/logKey``.
public struct SampleLog: Sendable {
    public static let petitionSlug = "osce-moscow-mechanism"
    public static let petitionID: Int64 = 1

    /// The signers' addresses and the nonces on their receipts, by leaf.
    public let signers: [(email: String, nonce: [UInt8])]
    public let entries: [TallyEntry]
    public let head: SignedTreeHead

    public init() {
        let textHash = Array(repeating: UInt8(0xA7), count: 32)
        let day = TallyDay(daysSince1970: 20_786)
        let signers: [(email: String, nonce: [UInt8])] = [
            ("anna.petrosyan@example.am", Array(repeating: 0x01, count: 32)),
            ("jean.dupont@example.fr", Array(repeating: 0x02, count: 32)),
            ("olga@xn--e1afmkfd.xn--p1ai", Array(repeating: 0x03, count: 32)),
            ("aram@example.org", Array(repeating: 0x04, count: 32)),
        ]
        self.signers = signers
        let countries = ["AM", "FR", "RU", "AM"]
        let channels: [TallyEntry.Channel] = [.online, .online, .paper, .partner]
        var entries = signers.indices.map { index in
            TallyEntry.addition(
                TallyEntry.Addition(
                    channel: channels[index],
                    country: countries[index],
                    day: index < 2 ? day : TallyDay(daysSince1970: day.daysSince1970 + 1),
                    commitment: TallyEntry.commitment(
                        nonce: signers[index].nonce,
                        normalisedEmail: (try? EmailAddress(signers[index].email).normalised) ?? "",
                        petitionID: Self.petitionID
                    ),
                    textHash: textHash
                )
            )
        }
        entries.append(.revocation(TallyEntry.Revocation(reason: .withdrawn, day: TallyDay(daysSince1970: day.daysSince1970 + 1), leafIndex: 1)))
        entries.append(.revocation(TallyEntry.Revocation(reason: .invalidated, day: TallyDay(daysSince1970: day.daysSince1970 + 2), leafIndex: 2)))
        entries.append(.reinstatement(TallyEntry.Reinstatement(day: TallyDay(daysSince1970: day.daysSince1970 + 3), leafIndex: 2)))
        self.entries = entries
        let root = MerkleTree.root(ofLeafHashes: entries.map(\.leafHash)[...])
        let unsigned = TreeHead(log: Self.petitionSlug, size: UInt64(entries.count), root: root, timestamp: 1_796_000_000_000)
        guard let head = try? Fuzz.logKey.sign(unsigned) else { fatalError("cannot sign the sample tree head") }
        self.head = head
    }

    /// The leaf hashes, in log order.
    public var leafHashes: [MerkleHash] { entries.map(\.leafHash) }

    /// JSON as the API writes it.
    public static func json(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { fatalError("cannot encode \(value)") }
        return Array(data)
    }
}
