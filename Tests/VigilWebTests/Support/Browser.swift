import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore

/// Plays a browser against the test client: keeps cookies, reads the form token from pages,
/// and posts forms.
final class Browser: @unchecked Sendable {
    let client: any TestClientProtocol
    /// The address this browser appears to come from, sent as `X-Forwarded-For`.
    let address: String
    private(set) var cookies: [String: String] = [:]

    init(_ client: any TestClientProtocol, address: String = "203.0.113.7") {
        self.client = client
        self.address = address
    }

    struct Page {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let body: String
        /// The body as sent, for answers that are not text (a ZIP).
        let bytes: [UInt8]

        /// The value of the hidden CSRF field on the page.
        var csrfToken: String? { field("csrf") }

        func field(_ name: String) -> String? {
            guard let range = body.range(of: #"name="\#(name)" value="[^"]*""#, options: .regularExpression) else { return nil }
            return String(body[range]).components(separatedBy: "value=\"").last.map { String($0.dropLast()) }
        }

        /// The `action` of the first form whose action contains `fragment`.
        func formAction(containing fragment: String) -> String? {
            let pattern = #"action="[^"]*"#
            var searchRange = body.startIndex..<body.endIndex
            while let range = body.range(of: pattern, options: .regularExpression, range: searchRange) {
                let action = String(body[range].dropFirst("action=\"".count))
                if action.contains(fragment) { return action.replacingOccurrences(of: "&amp;", with: "&") }
                searchRange = range.upperBound..<body.endIndex
            }
            return nil
        }
    }

    func get(_ path: String, headers extra: HTTPFields = [:]) async throws -> Page {
        try await request(path, method: .get, headers: extra, body: nil)
    }

    /// Posts fields as `application/x-www-form-urlencoded`, encoding each value.
    func post(_ path: String, fields: [(String, String)]) async throws -> Page {
        let body = fields.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        return try await post(path, rawBody: ByteBuffer(string: body))
    }

    /// Posts a body exactly as given, for bodies a browser would never send.
    func post(_ path: String, rawBody: ByteBuffer) async throws -> Page {
        var headers = HTTPFields()
        headers[.contentType] = "application/x-www-form-urlencoded"
        return try await request(path, method: .post, headers: headers, body: rawBody)
    }

    /// A file for a form's file field.
    struct File {
        let field: String
        let name: String
        let content: [UInt8]
    }

    /// Posts fields and files as `multipart/form-data`, as a browser sends a form with file fields.
    func post(_ path: String, fields: [(String, String)], files: [File]) async throws -> Page {
        let boundary = "----VigilTestBoundary7MA4YWxkTrZu0gW"
        var body = ByteBuffer()
        for (name, value) in fields {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
        }
        for file in files {
            body.writeString(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.name)\"\r\n"
                    + "Content-Type: application/octet-stream\r\n\r\n"
            )
            body.writeBytes(file.content)
            body.writeString("\r\n")
        }
        body.writeString("--\(boundary)--\r\n")
        var headers = HTTPFields()
        headers[.contentType] = "multipart/form-data; boundary=\(boundary)"
        return try await request(path, method: .post, headers: headers, body: body)
    }

    /// Sends a request with the body and headers given, cookies included.
    func send(_ path: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?) async throws -> Page {
        try await request(path, method: method, headers: headers, body: body)
    }

    private func request(_ path: String, method: HTTPRequest.Method, headers extra: HTTPFields, body: ByteBuffer?) async throws -> Page {
        var headers = extra
        if let name = HTTPField.Name("X-Forwarded-For") { headers[name] = address }
        if !cookies.isEmpty {
            headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ")
        }
        let response = try await client.execute(uri: path, method: method, headers: headers, body: body)
        for value in response.headers[values: .setCookie] {
            let pair = value.split(separator: ";").first ?? ""
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = parts.first.map(String.init) else { continue }
            let cookieValue = parts.count == 2 ? String(parts[1]) : ""
            if cookieValue.isEmpty || value.contains("Max-Age=0") {
                cookies[name] = nil
            } else {
                cookies[name] = cookieValue
            }
        }
        return Page(
            status: response.status, headers: response.headers, body: String(buffer: response.body),
            bytes: Array(response.body.readableBytesView)
        )
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// Opens a confirmation link and presses its button, as a signer does; returns the page the
    /// button leads to.
    func confirm(_ link: String) async throws -> Page {
        let page = try await get(link)
        guard let action = page.formAction(containing: "/confirm/") else { return page }
        let pressed = try await post(action, fields: [("csrf", page.csrfToken ?? "")])
        guard let location = pressed.headers[.location] else { return pressed }
        return try await get(location)
    }

    /// Opens the petition and signs it with the given fields (added to a valid form).
    func sign(
        name: String = "Ani Hakobyan",
        email: String,
        country: String = "FR",
        extra: [(String, String)] = []
    ) async throws -> Page {
        let page = try await get("/petitions/osce-moscow-mechanism")
        let fields = [
            ("csrf", page.csrfToken ?? ""), ("lang", "en"), ("name", name), ("email", email), ("country", country),
        ] + extra
        return try await post("/petitions/osce-moscow-mechanism/signatures", fields: fields)
    }
}
