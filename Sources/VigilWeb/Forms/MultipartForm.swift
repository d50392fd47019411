import Foundation
import NIOCore

/// A `multipart/form-data` body, the kind a form with file fields sends, read into its parts
/// (RFC 7578 on RFC 2046's syntax).
///
/// Strict where a browser never deviates: every part starts after a delimiter line, has its
/// headers, a blank line and its content, and the body ends with the closing delimiter; a
/// header name is a token of ASCII characters. Anything else is ``Problem/malformed``.
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

    /// The most parts read from one body, and the most bytes of one part's headers.
    static let maximumParts = 200
    static let maximumHeaderBytes = 8 * 1024

    /// Reads a body whose `Content-Type` names its boundary.
    init(_ body: ByteBuffer, contentType: String?) throws(Problem) {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data"),
              let boundary = Self.parameter("boundary", in: contentType), (1...70).contains(boundary.utf8.count)
        else { throw .notMultipart }
        let bytes = Array(body.readableBytesView)
        let delimiter = Array("--\(boundary)".utf8)
        let crlf: [UInt8] = [0x0D, 0x0A]
        // The first delimiter opens the body or follows a line of preamble.
        guard var position = Self.find(delimiter, in: bytes, from: 0, where: { $0 == 0 || ($0 >= 2 && bytes[$0 - 2..<$0].elementsEqual(crlf)) })
        else { throw .malformed }
        var parts: [Part] = []
        while true {
            position += delimiter.count
            if bytes[position...].starts(with: [0x2D, 0x2D]) { break }
            // Transport padding, then the end of the delimiter line.
            while position < bytes.count, bytes[position] == 0x20 || bytes[position] == 0x09 { position += 1 }
            guard bytes[position...].starts(with: crlf), parts.count < Self.maximumParts else { throw .malformed }
            position += 2
            let headerEnd: Int
            if bytes[position...].starts(with: crlf) {
                headerEnd = position
            } else {
                guard let end = Self.find(crlf + crlf, in: bytes, from: position, where: { _ in true }),
                      end - position <= Self.maximumHeaderBytes
                else { throw .malformed }
                headerEnd = end + 2
            }
            let headers = try Self.headers(bytes[position..<headerEnd])
            let contentStart = headerEnd + 2
            guard let next = Self.find(crlf + delimiter, in: bytes, from: contentStart, where: { _ in true }) else { throw .malformed }
            let disposition = headers["content-disposition"] ?? ""
            if disposition.lowercased().hasPrefix("form-data"), let name = Self.parameter("name", in: disposition) {
                parts.append(Part(name: name, fileName: Self.parameter("filename", in: disposition), content: Data(bytes[contentStart..<next])))
            }
            position = next + 2
        }
        self.parts = parts
    }

    /// The header lines of a part (each ending in CRLF), by lower-cased name.
    private static func headers(_ block: ArraySlice<UInt8>) throws(Problem) -> [String: String] {
        var headers: [String: String] = [:]
        for line in block.split(separator: 0x0A) {
            guard line.last == 0x0D else { throw .malformed }
            let text = line.dropLast()
            guard let colon = text.firstIndex(of: 0x3A), colon > text.startIndex,
                  text[..<colon].allSatisfy(isTokenCharacter)
            else { throw .malformed }
            let name = String(decoding: text[..<colon], as: UTF8.self).lowercased()
            headers[name] = String(decoding: text[text.index(after: colon)...], as: UTF8.self).trimmingCharacters(in: .whitespaces)
        }
        return headers
    }

    /// RFC 9110's `tchar`: the characters a header name is made of.
    private static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        default: Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
        }
    }

    /// The first index from `start` where `needle` begins and `accept` agrees.
    private static func find(_ needle: [UInt8], in bytes: [UInt8], from start: Int, where accept: (Int) -> Bool) -> Int? {
        guard let first = needle.first, needle.count <= bytes.count else { return nil }
        var index = start
        let last = bytes.count - needle.count
        while index <= last {
            guard let candidate = bytes[index...last].firstIndex(of: first) else { return nil }
            if bytes[candidate..<candidate + needle.count].elementsEqual(needle), accept(candidate) { return candidate }
            index = candidate + 1
        }
        return nil
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
