/// Quoted-printable encoding of UTF-8 text (RFC 2045 §6.7) with CRLF line ends.
///
/// It works on the UTF-8 bytes in one pass: building a string for every character made this a
/// tenth of the mail worker's time.
enum QuotedPrintable {
    /// The longest encoded line, not counting CRLF; RFC 2045 allows 76.
    static let lineLimit = 76

    /// Encodes `text`, whose lines may end in LF or CRLF.
    static func encode(_ text: String) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count * 2)
        let lines = Array(text.utf8).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        for (number, line) in lines.enumerated() {
            if number > 0 { output += lineEnd }
            // A carriage return before a line feed belongs to the line end; any other is text.
            let endsInCRLF = number < lines.count - 1 && line.last == UInt8(ascii: "\r")
            encodeLine(endsInCRLF ? line.dropLast() : line, into: &output)
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func encodeLine(_ line: ArraySlice<UInt8>, into output: inout [UInt8]) {
        var length = 0
        for index in line.indices {
            let byte = line[index]
            // Space and tab are kept except at the end of a line, where mail systems drop them.
            let literal = ((33...126).contains(byte) && byte != equalsSign)
                || ((byte == 0x20 || byte == 0x09) && index != line.indices.last)
            let width = literal ? 1 : 3
            // A soft line break ("=" at the end) keeps every line within the limit.
            if length + width > lineLimit - 1 {
                output.append(equalsSign)
                output += lineEnd
                length = 0
            }
            if literal {
                output.append(byte)
            } else {
                output += [equalsSign, hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0f)]]
            }
            length += width
        }
    }

    private static let equalsSign = UInt8(ascii: "=")
    private static let lineEnd: [UInt8] = [UInt8(ascii: "\r"), UInt8(ascii: "\n")]
    private static let hexDigits = Array("0123456789ABCDEF".utf8)
}
