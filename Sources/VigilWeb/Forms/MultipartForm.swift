import Foundation
import MultipartKit
import NIOCore

/// A `multipart/form-data` body, the kind a form with file fields sends, read into its parts.
///
/// Parsing is MultipartKit's; this type adds what its form decoder does not give: each file's
/// own name, repeated file fields kept in order, and text fields read as ``FormBody`` reads them.
struct MultipartForm: Sendable {
    struct Part: Sendable {
        let name: String
        /// The name of the file the browser sent, for file fields.
        let fileName: String?
        let content: Data
    }

    /// Why a body is not a multipart form.
    enum Problem: Error, Equatable {
        case notMultipart
        case malformed
    }

    let parts: [Part]

    /// Reads a body whose `Content-Type` names its boundary.
    init(_ body: ByteBuffer, contentType: String?) throws(Problem) {
        guard let contentType, let boundary = Self.parameter("boundary", in: contentType),
              contentType.lowercased().hasPrefix("multipart/form-data"), !boundary.isEmpty, boundary.count <= 70
        else { throw .notMultipart }
        let parser = MultipartParser(boundary: boundary)
        var parts: [Part] = []
        var headers: [String: String] = [:]
        var content = Data()
        parser.onHeader = { name, value in headers[name.lowercased()] = value }
        parser.onBody = { buffer in content.append(contentsOf: buffer.readableBytesView) }
        parser.onPartComplete = {
            let disposition = headers["content-disposition"] ?? ""
            if let name = Self.parameter("name", in: disposition) {
                parts.append(Part(name: name, fileName: Self.parameter("filename", in: disposition), content: content))
            }
            headers = [:]
            content = Data()
        }
        do {
            try parser.execute(body)
        } catch {
            throw .malformed
        }
        self.parts = parts
    }

    /// The text of the first field of this name that is not a file, or `nil`.
    subscript(name: String) -> String? {
        parts.first { $0.name == name && $0.fileName == nil }.flatMap { String(data: $0.content, encoding: .utf8) }
    }

    /// The files sent in fields of this name, in order, leaving out empty file inputs.
    func files(named name: String) -> [Part] {
        parts.filter { $0.name == name && $0.fileName != nil && !($0.fileName?.isEmpty ?? true && $0.content.isEmpty) }
    }

    /// The text fields as a ``FormBody``, so the same checks apply as to an ordinary form.
    var textFields: FormBody {
        var encoded: [String] = []
        for part in parts where part.fileName == nil {
            let value = String(data: part.content, encoding: .utf8) ?? ""
            encoded.append(Self.formEncoded(part.name) + "=" + Self.formEncoded(value))
        }
        return FormBody(bytes: Array(encoded.joined(separator: "&").utf8))
    }

    private static func formEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }

    /// A parameter of a header value such as `form-data; name="sheet"; filename="a.csv"`,
    /// quoted or not; a quoted value may escape a quote with a backslash.
    static func parameter(_ wanted: String, in header: String) -> String? {
        var rest = Substring(header)
        while let semicolon = rest.firstIndex(of: ";") {
            rest = rest[rest.index(after: semicolon)...].drop(while: { $0 == " " || $0 == "\t" })
            guard let equals = rest.firstIndex(of: "=") else { return nil }
            let key = rest[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            rest = rest[rest.index(after: equals)...]
            var value = ""
            if rest.first == "\"" {
                rest = rest.dropFirst()
                var escaped = false
                while let character = rest.first {
                    rest = rest.dropFirst()
                    if escaped {
                        value.append(character)
                        escaped = false
                    } else if character == "\\" {
                        escaped = true
                    } else if character == "\"" {
                        break
                    } else {
                        value.append(character)
                    }
                }
            } else {
                let end = rest.firstIndex(of: ";") ?? rest.endIndex
                value = rest[..<end].trimmingCharacters(in: .whitespaces)
                rest = rest[end...]
            }
            if key == wanted { return value }
        }
        return nil
    }
}
