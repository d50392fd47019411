import Foundation
import Hummingbird

/// An error from a JSON endpoint, sent as a problem document (RFC 9457,
/// `application/problem+json`).
struct APIProblem: Error, HTTPResponseError {
    let status: HTTPResponse.Status
    let detail: String

    private struct Document: Encodable {
        let type = "about:blank"
        let title: String
        let status: Int
        let detail: String
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = try encoder.encode(Document(title: status.reasonPhrase, status: status.code, detail: detail))
        var headers = HTTPFields()
        headers[.contentType] = "application/problem+json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
