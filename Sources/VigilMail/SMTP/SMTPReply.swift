/// One reply from an SMTP server (RFC 5321 §4.2): a three-digit code and one or more lines of
/// text.
struct SMTPReply: Sendable, Equatable, CustomStringConvertible {
    var code: Int
    /// The text of each line, without the code and the separator after it.
    var lines: [String]

    /// 2xx: the command did what was asked.
    var isPositiveCompletion: Bool { code / 100 == 2 }
    /// 3xx: the server waits for more, as after DATA or during AUTH LOGIN.
    var isIntermediate: Bool { code / 100 == 3 }
    /// 4xx: the same command may work later.
    var isTransientFailure: Bool { code / 100 == 4 }
    /// 5xx: the same command will not work.
    var isPermanentFailure: Bool { code / 100 == 5 }

    /// The code and all lines in one line, as it goes into error messages and logs: control
    /// characters are replaced and the length is capped, because the text comes from a server we
    /// do not control.
    var description: String {
        let text = lines.filter { !$0.isEmpty }.joined(separator: " ")
        var cleaned = String(String.UnicodeScalarView(text.unicodeScalars.map {
            $0.value < 0x20 || $0.value == 0x7f ? " " : $0
        }))
        if cleaned.count > Self.descriptionLimit {
            cleaned = String(cleaned.prefix(Self.descriptionLimit)) + "…"
        }
        return cleaned.isEmpty ? String(code) : "\(code) \(cleaned)"
    }

    static let descriptionLimit = 300
}
