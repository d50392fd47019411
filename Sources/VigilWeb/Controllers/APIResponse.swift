import Foundation
import Hummingbird

/// JSON answers of the public API: sorted keys, an `ETag`, a `Cache-Control` and CORS open
/// to all, since the data is public.
enum APIResponse {
    /// Counts may be a few seconds old; that lets proxies and CDNs absorb a spike.
    static let shortCache = "public, max-age=5, stale-while-revalidate=30"
    /// For answers that never change once given (log entries, proofs between fixed sizes).
    static let longCache = "public, max-age=86400"

    /// `304 Not Modified` when the request's `If-None-Match` names this `ETag`.
    static func notModified(_ request: Request, etag: String, cacheControl: String = shortCache) -> Response? {
        guard let match = request.headers[.ifNoneMatch], match.split(separator: ",").contains(where: {
            $0.trimmingCharacters(in: .whitespaces) == etag
        }) else { return nil }
        var headers = HTTPFields()
        headers[.eTag] = etag
        headers[.cacheControl] = cacheControl
        return Response(status: .notModified, headers: headers)
    }

    static func json(_ value: some Encodable, etag: String, cacheControl: String = shortCache) throws -> Response {
        json(body: try encode(value), etag: etag, cacheControl: cacheControl)
    }

    /// An answer with a document encoded before.
    static func json(body: ByteBuffer, etag: String, cacheControl: String = shortCache) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.eTag] = etag
        headers[.cacheControl] = cacheControl
        headers[.accessControlAllowOrigin] = "*"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
    }

    /// A document as the API writes it: keys sorted, slashes left as they are.
    static func encode(_ value: some Encodable) throws -> ByteBuffer {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return ByteBuffer(bytes: try encoder.encode(value))
    }
}
