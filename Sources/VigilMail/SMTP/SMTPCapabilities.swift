/// What a server announced in its reply to EHLO (RFC 5321 §4.1.1.1): one extension per line after
/// the first, a keyword and its parameters.
struct SMTPCapabilities: Sendable, Equatable {
    var startTLS = false
    /// Upper-cased mechanism names, e.g. "PLAIN", "LOGIN".
    var authMechanisms: Set<String> = []
    var smtpUTF8 = false
    /// Whether the server understands the SIZE parameter of MAIL FROM (RFC 1870).
    var size = false
    /// The largest message the server accepts, when it names one; "SIZE 0" means no fixed limit.
    var maximumSize: Int?

    init() {}

    init(ehloReply: SMTPReply) {
        for line in ehloReply.lines.dropFirst() {
            let words = line.split(separator: " ", omittingEmptySubsequences: true).map { $0.uppercased() }
            guard let keyword = words.first else { continue }
            switch keyword {
            case "STARTTLS":
                startTLS = true
            case "SMTPUTF8":
                smtpUTF8 = true
            case "SIZE":
                size = true
                if let limit = words.dropFirst().first.flatMap({ Int($0) }), limit > 0 { maximumSize = limit }
            case "AUTH":
                authMechanisms.formUnion(words.dropFirst())
            default:
                // Some older servers announce "AUTH=PLAIN LOGIN" instead of, or next to, "AUTH PLAIN LOGIN".
                if keyword.hasPrefix("AUTH=") {
                    authMechanisms.insert(String(keyword.dropFirst("AUTH=".count)))
                    authMechanisms.formUnion(words.dropFirst())
                    authMechanisms.remove("")
                }
            }
        }
    }
}
