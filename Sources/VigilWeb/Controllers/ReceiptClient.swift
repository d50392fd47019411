import Foundation
import VigilCore

/// Checks a receipt against a Vigil server from the outside, as `vigil verify receipt` does:
/// it fetches the log key (unless one is pinned), the latest signed tree head and the entry's
/// audit path, and checks them itself. The server is trusted for nothing it cannot prove,
/// except its statement on whether a later entry revoked the signature.
public struct ReceiptClient: Sendable {
    /// Fetches a path of the server and returns its status and body.
    public typealias Fetch = @Sendable (_ path: String) async throws -> (status: Int, body: Data)

    private let fetch: Fetch

    public init(fetch: @escaping Fetch) {
        self.fetch = fetch
    }

    /// What the check found, line by line.
    public struct Report: Sendable {
        public struct Line: Sendable {
            public let passed: Bool
            public let text: String
        }

        public fileprivate(set) var lines: [Line] = []
        public var passed: Bool { !lines.isEmpty && lines.allSatisfy(\.passed) }

        fileprivate mutating func add(_ passed: Bool, _ text: String) {
            lines.append(Line(passed: passed, text: text))
        }
    }

    /// Why the server's answers could not be used.
    public struct Problem: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    public func check(
        petition slug: String,
        leafHash: MerkleHash,
        nonce: [UInt8]? = nil,
        email: EmailAddress? = nil,
        pinnedKey: TallyLogPublicKey? = nil
    ) async throws -> Report {
        var report = Report()
        let key: TallyLogPublicKey
        if let pinnedKey {
            key = pinnedKey
            report.add(true, "log key \(key.keyID.prefix(16))…, as given on the command line")
        } else {
            let document = try await get("/.well-known/vigil-log-key", as: LogKeyDocument.self)
            guard let served = TallyLogPublicKey(base64: document.public_key) else { throw Problem(description: "the server's log key is malformed") }
            key = served
            report.add(true, "log key \(key.keyID.prefix(16))…, as the server publishes it (pass --key to pin one you trust)")
        }
        let head = try await get("/petitions/\(slug)/tally/tree-head.json", as: SignedTreeHead.self)
        let petition = try await get("/petitions/\(slug).json", as: PetitionIDDocument.self)
        let inclusion = try await get(
            "/petitions/\(slug)/tally/inclusion.json?leaf_hash=\(leafHash.hex)&tree_size=\(head.head.size)", as: InclusionDocument.self
        )
        let proof = inclusion.audit_path.compactMap { MerkleHash(hex: $0) }
        guard proof.count == inclusion.audit_path.count, let entry = Data(base64Encoded: inclusion.entry) else {
            throw Problem(description: "the server's inclusion proof is malformed")
        }
        let check = ReceiptCheck(
            leafHash: leafHash, leafIndex: inclusion.leaf_index, proof: proof, head: head, key: key,
            entry: Array(entry), nonce: nonce, normalisedEmail: email?.normalised, petitionID: petition.data.id
        )
        let signedAt = Date(timeIntervalSince1970: Double(head.head.timestamp) / 1000).formatted(.iso8601)
        report.add(check.headSigned, check.headSigned
            ? "tree head of \(head.head.size) entries, root \(head.head.root.hex.prefix(16))…, signed \(signedAt): signature valid"
            : "tree head of \(head.head.size) entries: its signature does NOT match the log key")
        report.add(check.included, check.included
            ? "entry \(inclusion.leaf_index): an audit path of \(proof.count) hashes leads to the tree head's root"
            : "entry \(inclusion.leaf_index): the audit path does NOT lead to the tree head's root")
        report.add(check.entryMatchesLeaf == true, check.entryMatchesLeaf == true
            ? "the published entry hashes to your leaf hash"
            : "the published entry does NOT hash to your leaf hash")
        if let matches = check.commitmentMatches {
            report.add(matches, matches
                ? "the entry's commitment matches your nonce and address: the entry is yours"
                : "the entry's commitment does NOT match this nonce and address")
        }
        if let revoked = inclusion.revoked {
            report.add(false, "the server reports that a later entry \(revoked.reason == "withdrawn" ? "withdrew" : "invalidated") it on \(revoked.day)")
        } else {
            report.add(true, "the server reports no later entry revoking it")
        }
        return report
    }

    private func get<Document: Decodable>(_ path: String, as type: Document.Type) async throws -> Document {
        let (status, body) = try await fetch(path)
        guard status == 200 else {
            let detail = (try? JSONDecoder().decode(ProblemDocument.self, from: body))?.detail ?? "status \(status)"
            throw Problem(description: "\(path): \(detail)")
        }
        do {
            return try JSONDecoder().decode(type, from: body)
        } catch {
            throw Problem(description: "\(path): not the expected JSON (\(error))")
        }
    }
}

private struct PetitionIDDocument: Decodable {
    struct Data: Decodable { let id: Int64 }
    let data: Data
}

private struct ProblemDocument: Decodable {
    let detail: String
}
