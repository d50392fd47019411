import Foundation
import Testing
@testable import VigilCore

@Suite("Tally entries, tree heads and receipts")
struct TallyEntryTests {
    static let textHash = [UInt8](repeating: 0xAB, count: 32)

    static func addition(_ email: String = "ani@example.org", country: String = "FR", day: UInt32 = 20_700) -> TallyEntry {
        .addition(
            TallyEntry.Addition(
                channel: .online,
                country: country,
                day: TallyDay(daysSince1970: day),
                commitment: TallyEntry.commitment(nonce: [UInt8](repeating: 1, count: 32), normalisedEmail: email, petitionID: 1),
                textHash: textHash
            )
        )
    }

    @Test("every kind of entry has the documented length and reads back as itself")
    func roundTrip() throws {
        let entries: [TallyEntry] = [
            Self.addition(),
            .revocation(TallyEntry.Revocation(reason: .withdrawn, day: TallyDay(daysSince1970: 20_701), leafIndex: 0)),
            .reinstatement(TallyEntry.Reinstatement(day: TallyDay(daysSince1970: 20_702), leafIndex: 1 << 40)),
        ]
        #expect(entries.map(\.bytes.count) == [73, 15, 14])
        for entry in entries {
            #expect(try TallyEntry(bytes: entry.bytes) == entry)
        }
        // The layout is fixed: version, kind, channel, country.
        #expect(Array(Self.addition().bytes.prefix(5)) == [1, 1, 0, UInt8(ascii: "F"), UInt8(ascii: "R")])
    }

    @Test("malformed entries are refused with the reason")
    func malformed() {
        let good = Self.addition().bytes
        #expect(throws: TallyEntry.Problem.unknownVersion(2)) { try TallyEntry(bytes: [2] + good.dropFirst()) }
        #expect(throws: TallyEntry.Problem.unknownKind(9)) { try TallyEntry(bytes: [1, 9]) }
        #expect(throws: TallyEntry.Problem.wrongLength(kind: "addition", expected: 73, actual: 72)) {
            try TallyEntry(bytes: Array(good.dropLast()))
        }
        var lowerCase = good
        lowerCase[3] = UInt8(ascii: "f")
        #expect(throws: TallyEntry.Problem.self) { try TallyEntry(bytes: lowerCase) }
        var channel = good
        channel[2] = 7
        #expect(throws: TallyEntry.Problem.self) { try TallyEntry(bytes: channel) }
        #expect(throws: TallyEntry.Problem.self) { try TallyEntry(bytes: []) }
    }

    @Test("the commitment depends on the nonce, the address and the petition")
    func commitment() {
        let nonce = [UInt8](repeating: 1, count: 32)
        let base = TallyEntry.commitment(nonce: nonce, normalisedEmail: "ani@example.org", petitionID: 1)
        #expect(base.count == 32)
        #expect(base != TallyEntry.commitment(nonce: [UInt8](repeating: 2, count: 32), normalisedEmail: "ani@example.org", petitionID: 1))
        #expect(base != TallyEntry.commitment(nonce: nonce, normalisedEmail: "ani@example.com", petitionID: 1))
        #expect(base != TallyEntry.commitment(nonce: nonce, normalisedEmail: "ani@example.org", petitionID: 2))
    }

    @Test("a day is the UTC date of a moment")
    func days() {
        let day = TallyDay(Date(timeIntervalSince1970: 1_790_000_000))
        #expect(day.iso == "2026-09-21")
        #expect(TallyDay(Date(timeIntervalSince1970: 86_399)).daysSince1970 == 0)
    }

    @Test("a record's JSON line is byte for byte what JSONEncoder writes, for every kind of entry and channel")
    func recordLine() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var entries: [TallyEntry] = TallyEntry.Channel.allCases.map { channel in
            guard case .addition(var addition) = Self.addition() else { return Self.addition() }
            addition.channel = channel
            // A commitment whose base64 has `/` and `+`, which the encoder must not escape.
            addition.commitment = [UInt8](repeating: 0xFF, count: 31) + [0xFB]
            return .addition(addition)
        }
        entries += TallyEntry.Reason.allCases.map {
            .revocation(TallyEntry.Revocation(reason: $0, day: TallyDay(daysSince1970: 20_701), leafIndex: UInt64(Int64.max)))
        }
        entries.append(.reinstatement(TallyEntry.Reinstatement(day: TallyDay(daysSince1970: 20_702), leafIndex: 0)))
        for (index, entry) in entries.enumerated() {
            let record = TallyEntryRecord(index: UInt64(index) * 1_000_003, entry: entry)
            #expect(record.json == String(decoding: try encoder.encode(record), as: UTF8.self))
            #expect(try JSONDecoder().decode(TallyEntryRecord.self, from: Data(record.json.utf8)) == record)
        }
    }

    @Test("a day's ISO form is the calendar's for every day from 1970 to 2200, leap days and centuries included")
    func isoDays() {
        let format = Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC") ?? .current).year().month().day()
        var wrong: [String] = []
        for days in UInt32(0)...UInt32(84_000) {
            let day = TallyDay(daysSince1970: days)
            let expected = day.date.formatted(format)
            if day.iso != expected { wrong.append("\(days): \(day.iso) not \(expected)") }
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(5))")
        #expect(TallyDay(daysSince1970: 11_016).iso == "2000-02-29")
        #expect(TallyDay(daysSince1970: 47_541).iso == "2100-03-01")
    }

    @Test("totals: additions minus revocations plus reinstatements, broken down by what still counts")
    func totals() throws {
        let entries: [TallyEntry] = [
            Self.addition("a@example.org", country: "FR"),
            Self.addition("b@example.org", country: "AM"),
            Self.addition("c@example.org", country: "AM", day: 20_701),
            .revocation(TallyEntry.Revocation(reason: .invalidated, day: TallyDay(daysSince1970: 20_702), leafIndex: 1)),
            .revocation(TallyEntry.Revocation(reason: .withdrawn, day: TallyDay(daysSince1970: 20_702), leafIndex: 2)),
            .reinstatement(TallyEntry.Reinstatement(day: TallyDay(daysSince1970: 20_703), leafIndex: 1)),
        ]
        let totals = try TallyTotals.of(entries)
        #expect(totals.counted == 2)
        #expect(totals.additions == 3 && totals.revocations == 2 && totals.reinstatements == 1)
        #expect(totals.byCountry == ["FR": 1, "AM": 1])
        #expect(totals.byChannel == ["online": 2])
        #expect(totals.byDay == [TallyDay(daysSince1970: 20_700).iso: 2])
        #expect(totals.isConsistent)
    }

    @Test("a log that revokes twice, revokes a revocation or reinstates a counted signature is refused")
    func malformedLogs() {
        let revokeFirst = TallyEntry.revocation(TallyEntry.Revocation(reason: .withdrawn, day: TallyDay(daysSince1970: 1), leafIndex: 0))
        #expect(throws: TallyRevocations.Problem.self) { try TallyTotals.of([Self.addition(), revokeFirst, revokeFirst]) }
        #expect(throws: TallyRevocations.Problem.self) { try TallyTotals.of([revokeFirst]) }
        #expect(throws: TallyRevocations.Problem.self) {
            try TallyTotals.of([
                Self.addition(), revokeFirst,
                .revocation(TallyEntry.Revocation(reason: .withdrawn, day: TallyDay(daysSince1970: 1), leafIndex: 1)),
            ])
        }
        #expect(throws: TallyRevocations.Problem.self) {
            try TallyTotals.of([Self.addition(), .reinstatement(TallyEntry.Reinstatement(day: TallyDay(daysSince1970: 1), leafIndex: 0))])
        }
    }

    @Test("an entry numbered past the largest index a log can hold is refused, not counted past the end")
    func lastPossibleIndex() throws {
        // A dossier's tally.json gives each entry's index: the largest number it can hold must not overflow the count.
        var revocations = TallyRevocations()
        try revocations.read(Self.addition(), at: 0)
        let revokeFirst = TallyEntry.revocation(TallyEntry.Revocation(reason: .withdrawn, day: TallyDay(daysSince1970: 1), leafIndex: 0))
        #expect(throws: TallyRevocations.Problem.self) { try revocations.read(revokeFirst, at: .max) }
        try revocations.read(revokeFirst, at: .max - 1)
        #expect(!revocations.isCounted(leaf: 0))
    }

    @Test("a tree head's signature covers every field, and only the log key's signature is accepted")
    func treeHeads() throws {
        let key = try TallyLogKey(rawRepresentation: [UInt8](repeating: 3, count: 32))
        let other = try TallyLogKey(rawRepresentation: [UInt8](repeating: 4, count: 32))
        let head = TreeHead(log: "osce-moscow-mechanism", size: 8, root: RFC6962Vectors.roots[7], timestamp: 1_790_000_000_000)
        #expect(String(decoding: head.signedBytes, as: UTF8.self)
            == "vigil-tree-head/1\nosce-moscow-mechanism\n8\n\(RFC6962Vectors.roots[7].hex)\n1790000000000\n")
        let signed = try key.sign(head)
        #expect(signed.isSigned(by: key.publicKey))
        #expect(!signed.isSigned(by: other.publicKey))
        for altered in [
            TreeHead(log: "other", size: 8, root: head.root, timestamp: head.timestamp),
            TreeHead(log: head.log, size: 9, root: head.root, timestamp: head.timestamp),
            TreeHead(log: head.log, size: 8, root: RFC6962Vectors.roots[6], timestamp: head.timestamp),
            TreeHead(log: head.log, size: 8, root: head.root, timestamp: head.timestamp + 1),
        ] {
            #expect(!SignedTreeHead(head: altered, signature: signed.signature, keyID: signed.keyID).isSigned(by: key.publicKey))
        }
        let json = try JSONEncoder().encode(signed)
        #expect(try JSONDecoder().decode(SignedTreeHead.self, from: json) == signed)
        #expect(TallyLogPublicKey(base64: key.publicKey.base64) == key.publicKey)
        #expect(throws: TallyLogKey.Problem.self) { try TallyLogKey(rawRepresentation: [1, 2, 3]) }
    }

    @Test("a receipt verifies against the signed head, and not against a forged one")
    func receipts() throws {
        let key = try TallyLogKey(rawRepresentation: [UInt8](repeating: 3, count: 32))
        let nonce = [UInt8](repeating: 1, count: 32)
        let entries = (0..<5).map { Self.addition("signer\($0)@example.org") }
        let hashes = entries.map(\.leafHash)
        let root = MerkleTree.root(ofLeafHashes: hashes[...])
        let head = try key.sign(TreeHead(log: "p", size: 5, root: root, timestamp: 1))
        let proof = try MerkleTree.inclusionProof(index: 3, leafHashes: hashes)

        let good = ReceiptCheck(
            leafHash: hashes[3], leafIndex: 3, proof: proof, head: head, key: key.publicKey,
            entry: entries[3].bytes, nonce: nonce, normalisedEmail: "signer3@example.org", petitionID: 1
        )
        #expect(good.passed && good.commitmentMatches == true)

        let someoneElse = ReceiptCheck(
            leafHash: hashes[3], leafIndex: 3, proof: proof, head: head, key: key.publicKey,
            entry: entries[3].bytes, nonce: nonce, normalisedEmail: "signer2@example.org", petitionID: 1
        )
        #expect(!someoneElse.passed && someoneElse.commitmentMatches == false)

        // A head whose root was changed after signing: the signature no longer holds.
        var forgedRoot = head
        forgedRoot.head.root = MerkleTree.root(ofLeafHashes: hashes[0..<4])
        #expect(!ReceiptCheck(leafHash: hashes[3], leafIndex: 3, proof: proof, head: forgedRoot, key: key.publicKey).passed)
        // A head signed by another key, over a tree that leaves the signature out.
        let impostor = try TallyLogKey(rawRepresentation: [UInt8](repeating: 9, count: 32))
        let withoutLeaf = try impostor.sign(TreeHead(log: "p", size: 5, root: MerkleTree.root(ofLeafHashes: hashes[0..<4] + [hashes[0]]), timestamp: 2))
        let forged = ReceiptCheck(leafHash: hashes[3], leafIndex: 3, proof: proof, head: withoutLeaf, key: key.publicKey)
        #expect(!forged.headSigned && !forged.included && !forged.passed)
        // A genuine head of a smaller tree does not contain the leaf.
        let earlier = try key.sign(TreeHead(log: "p", size: 3, root: MerkleTree.root(ofLeafHashes: hashes[0..<3]), timestamp: 0))
        #expect(!ReceiptCheck(leafHash: hashes[3], leafIndex: 3, proof: proof, head: earlier, key: key.publicKey).passed)
    }

    @Test("a dossier manifest's signature covers every file line")
    func manifest() throws {
        let key = try TallyLogKey(rawRepresentation: [UInt8](repeating: 3, count: 32))
        var manifest = DossierManifest(
            petition: "p", createdAt: 1,
            files: [DossierManifest.File(name: "index.html", sha256: String(repeating: "a", count: 64), size: 10)],
            publicKey: key.publicKey
        )
        try manifest.sign(with: key)
        #expect(manifest.isSigned)
        var altered = manifest
        altered.files[0].size = 11
        #expect(!altered.isSigned)
        let decoded = try JSONDecoder().decode(DossierManifest.self, from: JSONEncoder().encode(manifest))
        #expect(decoded.isSigned)
    }
}
