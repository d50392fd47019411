import Foundation
import Hummingbird
import VigilCore
import VigilStore

/// The tally log as public JSON, so anyone can check the count: the log's public key, its
/// latest signed tree head, its entries, and inclusion and consistency proofs. Described in
/// openapi.yaml; no personal data is ever served.
struct TallyAPIController {
    let services: VigilServices

    /// The most entries one request may ask for.
    static let maximumPage: UInt64 = 1000

    func addRoutes(to router: some RouterMethods<VigilRequestContext>) {
        router.get("/.well-known/vigil-log-key", use: logKey)
        router.get("/petitions/{slug}/tally/tree-head.json", use: treeHead)
        router.get("/petitions/{slug}/tally/entries.json", use: entries)
        router.get("/petitions/{slug}/tally/inclusion.json", use: inclusion)
        router.get("/petitions/{slug}/tally/consistency.json", use: consistency)
    }

    /// The Ed25519 public key that signs every tree head and dossier of this server.
    @Sendable func logKey(request: Request, context: VigilRequestContext) async throws -> Response {
        let key = services.logKey.publicKey
        return try APIResponse.json(
            LogKeyDocument(algorithm: "Ed25519", public_key: key.base64, key_id: key.keyID),
            etag: "\"\(key.keyID.prefix(16))\"",
            cacheControl: "public, max-age=3600"
        )
    }

    @Sendable func treeHead(request: Request, context: VigilRequestContext) async throws -> Response {
        let petition = try await services.apiContent(slug: context.parameters.require("slug")).petition
        guard let head = try await services.store.latestTreeHead(petitionID: petition.id) else {
            throw APIProblem(status: .notFound, detail: "no tree head has been signed for this petition yet")
        }
        let etag = "\"\(head.head.size)-\(head.head.timestamp)\""
        if let notModified = APIResponse.notModified(request, etag: etag) { return notModified }
        return try APIResponse.json(head, etag: etag)
    }

    /// Entries `start..<end`, at most ``maximumPage`` at a time.
    @Sendable func entries(request: Request, context: VigilRequestContext) async throws -> Response {
        let petition = try await services.apiContent(slug: context.parameters.require("slug")).petition
        let size = try await services.store.tallySize(petitionID: petition.id)
        let query = request.uri.queryParameters
        let start = try Self.number(query["start"].map(String.init), named: "start") ?? 0
        let end = try Self.number(query["end"].map(String.init), named: "end") ?? min(size, start + Self.maximumPage)
        guard start <= end else { throw APIProblem(status: .badRequest, detail: "start (\(start)) is after end (\(end))") }
        guard end <= size else { throw APIProblem(status: .badRequest, detail: "the log has \(size) entries; end must be at most \(size)") }
        guard end - start <= Self.maximumPage else {
            throw APIProblem(status: .badRequest, detail: "ask for at most \(Self.maximumPage) entries at a time")
        }
        // Entries never change once written, so a page may be kept as long as a cache likes.
        let etag = "\"\(start)-\(end)\""
        if let notModified = APIResponse.notModified(request, etag: etag, cacheControl: APIResponse.longCache) { return notModified }
        let stored = try await services.store.tallyEntries(petitionID: petition.id, range: start..<end)
        let records = try stored.map { item in
            do {
                return TallyEntryRecord(index: item.index, entry: try TallyEntry(bytes: item.bytes))
            } catch {
                throw APIProblem(status: .internalServerError, detail: "entry \(item.index) is unreadable")
            }
        }
        return try APIResponse.json(
            EntriesDocument(log: petition.slug, tree_size: size, start: start, end: end, entries: records),
            etag: etag,
            cacheControl: APIResponse.longCache
        )
    }

    /// The audit path of a leaf, named by index or by hash, in the tree of `tree_size`
    /// entries (by default the latest signed tree head's).
    @Sendable func inclusion(request: Request, context: VigilRequestContext) async throws -> Response {
        let petition = try await services.apiContent(slug: context.parameters.require("slug")).petition
        let query = request.uri.queryParameters
        let size = try await treeSize(Self.number(query["tree_size"].map(String.init), named: "tree_size"), petitionID: petition.id)
        let leafIndex: UInt64
        if let hashText = query["leaf_hash"] {
            guard let hash = MerkleHash(hex: hashText) else {
                throw APIProblem(status: .badRequest, detail: "leaf_hash must be 64 hexadecimal digits")
            }
            guard let found = try await services.store.tallyLeafIndex(petitionID: petition.id, leafHash: hash) else {
                throw APIProblem(status: .notFound, detail: "no entry of this log has that leaf hash")
            }
            leafIndex = found
        } else if let index = try Self.number(query["leaf_index"].map(String.init), named: "leaf_index") {
            leafIndex = index
        } else {
            throw APIProblem(status: .badRequest, detail: "give leaf_index or leaf_hash")
        }
        guard leafIndex < size else {
            throw APIProblem(status: .notFound, detail: "entry \(leafIndex) is not in the tree of \(size) entries")
        }
        let proof = try await services.store.inclusionProof(petitionID: petition.id, leafIndex: leafIndex, size: size)
        guard let standing = try await services.store.leafStanding(petitionID: petition.id, leafIndex: leafIndex) else {
            throw APIProblem(status: .notFound, detail: "entry \(leafIndex) is missing")
        }
        let document = InclusionDocument(
            log: petition.slug,
            leaf_index: leafIndex,
            leaf_hash: MerkleTree.leafHash(standing.entry.bytes).hex,
            entry: Data(standing.entry.bytes).base64EncodedString(),
            tree_size: size,
            audit_path: proof.map(\.hex),
            revoked: standing.revocation.map { .init(reason: $0.reason.name, day: $0.day.iso) }
        )
        return try APIResponse.json(document, etag: "\"\(leafIndex)-\(size)-\(standing.revocation == nil)\"")
    }

    /// The proof that the tree of `first` entries is the start of the tree of `second`.
    @Sendable func consistency(request: Request, context: VigilRequestContext) async throws -> Response {
        let petition = try await services.apiContent(slug: context.parameters.require("slug")).petition
        let query = request.uri.queryParameters
        guard let first = try Self.number(query["first"].map(String.init), named: "first"),
              let second = try Self.number(query["second"].map(String.init), named: "second")
        else { throw APIProblem(status: .badRequest, detail: "give first and second, two tree sizes") }
        let size = try await services.store.tallySize(petitionID: petition.id)
        guard first <= second, second <= size else {
            throw APIProblem(status: .badRequest, detail: "need first ≤ second ≤ \(size), the log's size")
        }
        let proof = try await services.store.consistencyProof(petitionID: petition.id, first: first, second: second)
        return try APIResponse.json(
            ConsistencyDocument(log: petition.slug, first: first, second: second, proof: proof.map(\.hex)),
            etag: "\"\(first)-\(second)\"",
            cacheControl: APIResponse.longCache
        )
    }

    /// The tree size asked for, or the latest signed head's; never more than the log holds.
    private func treeSize(_ asked: UInt64?, petitionID: Int64) async throws -> UInt64 {
        let size = try await services.store.tallySize(petitionID: petitionID)
        if let asked {
            guard asked <= size else { throw APIProblem(status: .badRequest, detail: "the log has \(size) entries, not \(asked)") }
            return asked
        }
        guard let head = try await services.store.latestTreeHead(petitionID: petitionID) else {
            throw APIProblem(status: .notFound, detail: "no tree head has been signed for this petition yet; give tree_size")
        }
        return head.head.size
    }

    /// A query parameter as a count, `nil` when absent, a 400 when it is not a whole number.
    static func number(_ text: String?, named name: String) throws -> UInt64? {
        guard let text else { return nil }
        guard let value = UInt64(text), value <= UInt64(Int64.max) else {
            throw APIProblem(status: .badRequest, detail: "\(name) must be a whole number of 0 or more")
        }
        return value
    }
}

// The field names below are the API's.

struct LogKeyDocument: Codable {
    let algorithm: String
    let public_key: String
    let key_id: String
}

struct EntriesDocument: Encodable {
    let log: String
    let tree_size: UInt64
    let start: UInt64
    let end: UInt64
    let entries: [TallyEntryRecord]
}

struct InclusionDocument: Codable {
    struct Revocation: Codable {
        let reason: String
        let day: String
    }

    let log: String
    let leaf_index: UInt64
    let leaf_hash: String
    let entry: String
    let tree_size: UInt64
    let audit_path: [String]
    let revoked: Revocation?
}

struct ConsistencyDocument: Encodable {
    let log: String
    let first: UInt64
    let second: UInt64
    let proof: [String]
}
