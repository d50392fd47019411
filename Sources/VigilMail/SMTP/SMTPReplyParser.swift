/// Splits the bytes a server sends into replies, joining the lines of multi-line replies
/// ("250-first", "250-second", "250 last").
///
/// It is fed whatever the network delivered, so a reply may arrive in pieces or several replies
/// at once. Limits on line length and line count keep a broken or hostile server from making us
/// buffer without end.
struct SMTPReplyParser {
    enum Failure: Error, Equatable, CustomStringConvertible {
        case lineTooLong(limit: Int)
        case tooManyLines(limit: Int)
        case malformedLine(String)
        case mixedCodes(first: Int, then: Int)

        var description: String {
            switch self {
            case .lineTooLong(let limit): "a reply line is longer than \(limit) bytes"
            case .tooManyLines(let limit): "a reply has more than \(limit) lines"
            case .malformedLine(let line): "a reply line is not valid SMTP: \(line)"
            case .mixedCodes(let first, let then): "a multi-line reply changes its code from \(first) to \(then)"
            }
        }
    }

    /// RFC 5321 allows 512 bytes per reply line; servers exceed that with long texts, so we allow
    /// far more, but not without limit. Counts the bytes before the line feed.
    static let maximumLineLength = 4096
    static let maximumLinesPerReply = 200

    private var partialLine: [UInt8] = []
    private var linesSoFar: [String] = []
    private var codeSoFar: Int?

    /// True when no part of a reply is waiting for the rest.
    var isIdle: Bool { partialLine.isEmpty && linesSoFar.isEmpty }

    /// Takes the next bytes and returns the replies they complete, in order.
    mutating func parse(_ bytes: some Sequence<UInt8>) throws(Failure) -> [SMTPReply] {
        var replies: [SMTPReply] = []
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                var line = partialLine
                partialLine = []
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                if let reply = try accept(line) { replies.append(reply) }
            } else {
                guard partialLine.count < Self.maximumLineLength else {
                    throw .lineTooLong(limit: Self.maximumLineLength)
                }
                partialLine.append(byte)
            }
        }
        return replies
    }

    private mutating func accept(_ line: [UInt8]) throws(Failure) -> SMTPReply? {
        guard line.count >= 3,
              (UInt8(ascii: "2")...UInt8(ascii: "5")).contains(line[0]),
              line[1...2].allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
        else { throw .malformedLine(Self.printable(line)) }
        let code = line[0...2].reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        let isLast: Bool
        switch line.count > 3 ? line[3] : nil {
        case nil, UInt8(ascii: " "): isLast = true
        case UInt8(ascii: "-"): isLast = false
        default: throw .malformedLine(Self.printable(line))
        }
        if let codeSoFar, codeSoFar != code { throw .mixedCodes(first: codeSoFar, then: code) }
        guard linesSoFar.count < Self.maximumLinesPerReply else {
            throw .tooManyLines(limit: Self.maximumLinesPerReply)
        }
        codeSoFar = code
        linesSoFar.append(String(decoding: line.dropFirst(4), as: UTF8.self))
        guard isLast else { return nil }
        let reply = SMTPReply(code: code, lines: linesSoFar)
        linesSoFar = []
        codeSoFar = nil
        return reply
    }

    /// The start of an offending line, safe to put in an error message.
    private static func printable(_ line: [UInt8]) -> String {
        let text = String(decoding: line.prefix(80), as: UTF8.self)
        return String(String.UnicodeScalarView(text.unicodeScalars.map {
            $0.value < 0x20 || $0.value == 0x7f ? "?" : $0
        }))
    }
}
