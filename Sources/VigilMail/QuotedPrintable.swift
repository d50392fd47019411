/// Quoted-printable encoding of UTF-8 text (RFC 2045 §6.7) with CRLF line ends.
enum QuotedPrintable {
    /// The longest encoded line, not counting CRLF; RFC 2045 allows 76.
    static let lineLimit = 76

    static func encode(_ text: String) -> String {
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
        return lines.map { encodeLine(Array($0.utf8)) }.joined(separator: "\r\n")
    }

    private static func encodeLine(_ bytes: [UInt8]) -> String {
        var output: [String] = []
        var current = ""
        for (index, byte) in bytes.enumerated() {
            let isLast = index == bytes.count - 1
            let literal = (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "="))
                || ((byte == 0x20 || byte == 0x09) && !isLast)
            let piece = literal ? String(UnicodeScalar(byte)) : escape(byte)
            // A soft line break ("=" at the end) keeps every line within the limit.
            if current.utf8.count + piece.utf8.count > lineLimit - 1 {
                output.append(current + "=")
                current = ""
            }
            current += piece
        }
        output.append(current)
        return output.joined(separator: "\r\n")
    }

    private static func escape(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return "=" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0x0f)])
    }
}
