import Hummingbird

/// An HTML page as a response. Hummingbird has no HTML type of its own.
struct HTML: ResponseGenerator {
    var status: HTTPResponse.Status = .ok
    var body: ByteBuffer
    var headers: HTTPFields = [:]

    init(status: HTTPResponse.Status = .ok, _ text: String, headers: HTTPFields = [:]) {
        self.status = status
        self.body = ByteBuffer(string: text)
        self.headers = headers
    }

    init(status: HTTPResponse.Status = .ok, bytes: ByteBuffer, headers: HTTPFields = [:]) {
        self.status = status
        self.body = bytes
        self.headers = headers
    }

    func response(from request: Request, context: some RequestContext) -> Response {
        var fields = headers
        fields[.contentType] = "text/html; charset=utf-8"
        fields[.contentLength] = String(body.readableBytes)
        if fields[.cacheControl] == nil {
            // Pages carry a per-browser form token and must not be shared by caches.
            fields[.cacheControl] = "private, no-cache"
        }
        return Response(status: status, headers: fields, body: .init(byteBuffer: body))
    }
}
