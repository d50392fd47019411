// The receipt check of `vigil verify receipt` and /verify: a server's log key, signed tree head,
// petition and inclusion proof (documents 0–3 of the input), and the receipt's leaf hash, nonce,
// address and pinned key (documents 4–7), read and checked by ReceiptClient.
import Foundation
import FuzzSupport
import VigilCore
@testable import VigilWeb

@_cdecl("LLVMFuzzerTestOneInput")
public func testReceipt(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt { Fuzz.test(data, size, ReceiptHarness.check) }

@_cdecl("LLVMFuzzerInitialize")
public func initializeReceipt(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutableRawPointer) -> CInt { Fuzz.initialize(seeds: ReceiptHarness.seeds) }

// SwiftPM makes this file's top-level code the program's main; libFuzzer takes over from here.
exit(Fuzz.run())

enum ReceiptHarness {
    static func check(_ bytes: [UInt8]) {
        let documents = Fuzz.documents(bytes, count: 8)
        checkDocuments(headJSON: documents[1], inclusionJSON: documents[3])

        // The receipt, read as `vigil verify receipt` reads its options.
        let leafText = text(documents[4])
        guard let leafHash = MerkleHash(hex: leafText) else { return }
        Fuzz.require(leafHash.hex == leafText.lowercased(), "leaf hash \(leafText) read as \(leafHash.hex)")
        let secret: (nonce: [UInt8], email: EmailAddress)?
        if documents[5].isEmpty && documents[6].isEmpty {
            secret = nil
        } else {
            guard let bytes = [UInt8](hexadecimal: text(documents[5])), bytes.count == 32,
                  let address = try? EmailAddress(text(documents[6]))
            else { return }
            secret = (bytes, address)
        }
        let pinned = documents[7].isEmpty ? nil : TallyLogPublicKey(base64: text(documents[7]))
        if !documents[7].isEmpty, pinned == nil { return }

        let client = ReceiptClient { path in
            let document = if path.hasPrefix("/.well-known/vigil-log-key") {
                documents[0]
            } else if path.hasSuffix("/tally/tree-head.json") {
                documents[1]
            } else if path.contains("/tally/inclusion.json") {
                documents[3]
            } else {
                documents[2]
            }
            return (document.isEmpty ? 404 : 200, Data(document))
        }
        let report = Fuzz.wait {
            try? await client.check(
                petition: SampleLog.petitionSlug, leafHash: leafHash, nonce: secret?.nonce, email: secret?.email, pinnedKey: pinned
            )
        }
        guard let report, report.passed else { return }
        checkPassed(documents: documents, leafHash: leafHash, nonce: secret?.nonce, email: secret?.email, pinned: pinned)
    }

    /// Whatever parses parses back: tree heads through JSON, entries through their bytes and records.
    static func checkDocuments(headJSON: [UInt8], inclusionJSON: [UInt8]) {
        if let head = try? JSONDecoder().decode(SignedTreeHead.self, from: Data(headJSON)) {
            Fuzz.require(!head.head.log.isEmpty && !head.head.log.contains("\n"), "a tree head for the log '\(head.head.log)'")
            let again = try? JSONDecoder().decode(SignedTreeHead.self, from: Data(SampleLog.json(head)))
            Fuzz.require(again == head, "a tree head changes through JSON")
        }
        guard let inclusion = try? JSONDecoder().decode(InclusionDocument.self, from: Data(inclusionJSON)),
              let data = Data(base64Encoded: inclusion.entry),
              let entry = try? TallyEntry(bytes: Array(data))
        else { return }
        Fuzz.require(entry.bytes == Array(data), "an entry read from bytes writes other bytes")
        let record = TallyEntryRecord(index: inclusion.leaf_index, entry: entry)
        let decoded = try? record.decoded()
        Fuzz.require(decoded?.entry == entry && decoded?.bytes == Array(data), "an entry changes through its record")
    }

    /// A receipt that verified: the same material with any one part altered must not.
    static func checkPassed(documents: [[UInt8]], leafHash: MerkleHash, nonce: [UInt8]?, email: EmailAddress?, pinned: TallyLogPublicKey?) {
        let decoder = JSONDecoder()
        guard let head = try? decoder.decode(SignedTreeHead.self, from: Data(documents[1])),
              let inclusion = try? decoder.decode(InclusionDocument.self, from: Data(documents[3])),
              let entry = Data(base64Encoded: inclusion.entry),
              let key = pinned ?? (try? decoder.decode(LogKeyDocument.self, from: Data(documents[0]))).flatMap({ TallyLogPublicKey(base64: $0.public_key) })
        else {
            Fuzz.require(false, "a receipt verified on documents that do not parse")
            return
        }
        let proof = inclusion.audit_path.compactMap { MerkleHash(hex: $0) }
        func check(leaf: MerkleHash = leafHash, proof: [MerkleHash] = proof, head: SignedTreeHead = head) -> ReceiptCheck {
            ReceiptCheck(
                leafHash: leaf, leafIndex: inclusion.leaf_index, proof: proof, head: head, key: key, entry: Array(entry),
                nonce: nonce, normalisedEmail: email?.normalised, petitionID: SampleLog.petitionID
            )
        }
        Fuzz.require(check().headSigned && check().included, "a receipt that verified does not verify again")
        Fuzz.require(MerkleTree.leafHash(Array(entry)) == leafHash, "a receipt verified with an entry of another leaf")

        var leafBytes = leafHash.bytes
        leafBytes[documents[3].count % leafBytes.count] ^= 0x01
        if let otherLeaf = MerkleHash(bytes: leafBytes) {
            Fuzz.require(!check(leaf: otherLeaf).included, "another leaf is included by the same proof")
        }
        for position in proof.indices {
            var altered = proof
            var bytes = altered[position].bytes
            bytes[position % bytes.count] ^= 0x80
            altered[position] = MerkleHash(bytes: bytes) ?? altered[position]
            Fuzz.require(!check(proof: altered).included, "a proof with hash \(position) altered still verifies")
        }
        var grown = head
        grown.head.size &+= 1
        Fuzz.require(!check(head: grown).headSigned, "a tree head with another size keeps its signature")
        var moved = head
        moved.head.timestamp &+= 1
        Fuzz.require(!check(head: moved).headSigned, "a tree head with another time keeps its signature")
    }

    static func text(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// Receipts for a real log, as the server serves them: each leaf with its audit path,
    /// with and without the nonce and address, with a pinned key, and a withdrawn signature.
    static func seeds() -> [(name: String, bytes: [UInt8])] {
        let log = SampleLog()
        let key = Fuzz.logKey.publicKey
        let keyDocument = SampleLog.json(LogKeyDocument(algorithm: "Ed25519", public_key: key.base64, key_id: key.keyID))
        let petitionDocument = Array(#"{"data":{"id":1,"slug":"osce-moscow-mechanism","state":"open"}}"#.utf8)
        var seeds: [(name: String, bytes: [UInt8])] = []
        for (index, signer) in log.signers.enumerated() {
            let revoked: InclusionDocument.Revocation? = index == 1 ? .init(reason: "withdrawn", day: "2026-11-29") : nil
            let proof = (try? MerkleTree.inclusionProof(index: UInt64(index), leafHashes: log.leafHashes)) ?? []
            let inclusion = InclusionDocument(
                log: SampleLog.petitionSlug, leaf_index: UInt64(index), leaf_hash: log.leafHashes[index].hex,
                entry: Data(log.entries[index].bytes).base64EncodedString(), tree_size: log.head.head.size,
                audit_path: proof.map(\.hex), revoked: revoked
            )
            let receipt: [[UInt8]] = switch index {
            case 0: [Array(log.leafHashes[index].hex.utf8), Array(signer.nonce.hexString.utf8), Array(signer.email.utf8), []]
            case 2: [Array(log.leafHashes[index].hex.uppercased().utf8), [], [], Array(key.base64.utf8)]
            default: [Array(log.leafHashes[index].hex.utf8), Array(signer.nonce.hexString.utf8), Array(signer.email.utf8), Array(key.base64.utf8)]
            }
            let served = [keyDocument, SampleLog.json(log.head), petitionDocument, SampleLog.json(inclusion)]
            seeds.append((name: "leaf-\(index)", bytes: Fuzz.joined(served + receipt)))
        }
        return seeds
    }
}
