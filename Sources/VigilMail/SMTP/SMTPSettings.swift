/// How to reach the SMTP server that relays Vigil's mail.
public struct SMTPSettings: Sendable, Equatable, CustomStringConvertible, CustomReflectable {
    /// How the connection is protected.
    public enum Security: String, Sendable, Equatable, CaseIterable {
        /// Connect in clear text, then upgrade with STARTTLS before anything else is said; refuse
        /// to go on when the server does not offer it, so a man in the middle cannot strip it.
        case startTLS
        /// TLS from the first byte ("SMTPS", RFC 8314), usually on port 465.
        case implicitTLS
        /// No encryption at all: only for a relay on the same machine or network, and for tests.
        case none

        /// The port this kind of connection normally uses.
        public var defaultPort: Int {
            switch self {
            case .startTLS: 587
            case .implicitTLS: 465
            case .none: 25
            }
        }
    }

    public var host: String
    public var port: Int
    public var security: Security
    /// With both a user name and a password, Vigil logs in (AUTH PLAIN, else AUTH LOGIN) before
    /// sending, and fails if the server offers neither.
    public var username: String?
    public var password: String?
    /// The name Vigil gives for itself in EHLO; some servers want the sending host's public name.
    public var heloName: String
    public var connectTimeout: Duration
    /// How long to wait for each reply, including the one after the whole message was sent.
    public var replyTimeout: Duration
    /// A PEM file with CA certificates to trust in addition to the system's, for a relay with a
    /// private CA or a self-signed certificate.
    public var additionalTrustedCAFile: String?

    public init(
        host: String,
        port: Int? = nil,
        security: Security = .startTLS,
        username: String? = nil,
        password: String? = nil,
        heloName: String = "localhost",
        connectTimeout: Duration = .seconds(10),
        replyTimeout: Duration = .seconds(60),
        additionalTrustedCAFile: String? = nil
    ) {
        self.host = host
        self.port = port ?? security.defaultPort
        self.security = security
        self.username = username
        self.password = password
        self.heloName = heloName
        self.connectTimeout = connectTimeout
        self.replyTimeout = replyTimeout
        self.additionalTrustedCAFile = additionalTrustedCAFile
    }

    /// The user name and password, when both are set.
    var credentials: (username: String, password: String)? {
        guard let username, !username.isEmpty, let password else { return nil }
        return (username, password)
    }

    /// Everything but the password, so the settings can be logged.
    public var description: String {
        var parts = ["\(host):\(port)", "security: \(security.rawValue)", "EHLO \(heloName)"]
        if let username { parts.append("user: \(username)") }
        if password != nil { parts.append("password: (set)") }
        if let additionalTrustedCAFile { parts.append("extra CA file: \(additionalTrustedCAFile)") }
        return "SMTP " + parts.joined(separator: ", ")
    }

    /// Keeps the password out of `dump` and debugger output too.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "host": host, "port": port, "security": security, "username": username as Any,
                "password": password == nil ? "(not set)" : "(set)", "heloName": heloName,
                "connectTimeout": connectTimeout, "replyTimeout": replyTimeout,
                "additionalTrustedCAFile": additionalTrustedCAFile as Any,
            ],
            displayStyle: .struct
        )
    }
}
