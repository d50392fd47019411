import Foundation
import Hummingbird
import VigilCore

/// The public API's JSON documents, encoded once per version instead of once per request.
///
/// A counter embedded on many sites is read far more often than it changes: between two commits
/// of the signature writer every reader gets the same bytes. A document is keyed by what names it
/// (the petition, the language) and kept with the `ETag` it was encoded for; a request that
/// carries another `ETag` encodes it again and replaces it. The keys come from petitions that
/// exist and the languages they offer, so the cache stays as small as the campaign.
final class APIDocumentCache: Sendable {
    private let documents = Locked<[String: (etag: String, body: ByteBuffer)]>([:])

    /// The document under `key` as `etag` names it, encoded by `document` unless it is held already.
    func response(_ key: String, etag: String, document: () throws -> some Encodable) throws -> Response {
        if let held = documents.withLock({ $0[key] }), held.etag == etag {
            return APIResponse.json(body: held.body, etag: etag)
        }
        let body = try APIResponse.encode(document())
        documents.withLock { $0[key] = (etag, body) }
        return APIResponse.json(body: body, etag: etag)
    }
}
