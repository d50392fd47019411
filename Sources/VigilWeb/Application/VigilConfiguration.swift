import Configuration
import Foundation
import Logging
import SystemPackage
import VigilCore
import VigilStore

/// Every setting of a Vigil server, with its default.
///
/// Settings are read from environment variables (`VIGIL_` and the setting's name in capitals,
/// e.g. `VIGIL_PORT`), then from an optional YAML file (`port: 8080`), then the defaults here.
/// docs/operations.md lists them all.
public struct VigilConfiguration: Sendable {
    /// Address to listen on. Default `127.0.0.1`: put a TLS-terminating proxy in front for the public.
    public var host = "127.0.0.1"
    public var port = 8080
    /// Folder for the database, the master key and development e-mails.
    public var dataDirectory = "data"
    /// `postgres://user:password@host:port/database` to keep the data in PostgreSQL, shared by
    /// several servers; without it, SQLite in the data folder.
    public var databaseURL: String?
    /// The PostgreSQL schema of this campaign's tables, so several campaigns can share a database.
    public var databaseSchema = "public"
    /// Where the master key lives; default `<data_dir>/keys/master.key`.
    public var masterKeyFile: String?
    /// Folder of the campaign loaded on first start.
    public var contentDirectory = "Content"
    /// The public address of the site, used in links in e-mails; default `http://<host>:<port>`.
    public var baseURL: String?
    /// `file` (development: writes .eml files) or `smtp`.
    public var mailTransport = MailTransportChoice.file
    /// Sender of every e-mail, as `Name <address>` or a bare address.
    public var mailFrom = "Vigil <vigil@localhost>"
    public var smtpHost = "localhost"
    public var smtpPort: Int?
    /// `starttls` (default), `tls` (implicit, port 465) or `none` (local relays only).
    public var smtpSecurity = "starttls"
    public var smtpUsername: String?
    public var smtpPassword: String?
    /// An extra CA certificate (PEM) to trust for the SMTP server, beside the system's.
    public var smtpCAFile: String?
    /// Signatures allowed per client address per minute, as a burst; `0` turns every signing
    /// rate limit off (for load tests).
    public var signRateLimit = 5
    /// Signatures allowed per client address per hour, sustained.
    public var signRateLimitHourly = 20
    /// Signatures allowed per network (/24 or /56) per minute, as a burst.
    public var rangeRateLimit = 30
    /// Signatures allowed per network (/24 or /56) per hour, sustained.
    public var rangeRateLimitHourly = 300
    /// Signatures in an hour from one network or e-mail domain that make the dashboard point it out.
    public var hotspotThreshold = 50
    /// Seconds a person needs at least between seeing the form and sending it; `0` turns the check off.
    public var signMinimumSeconds = 3
    /// Leading zero bits of the sign form's proof of work while the site is under attack: each
    /// bit doubles the signer's work. 14 takes a mid-range phone about a second (docs/operations.md).
    public var proofOfWorkBits = 14
    /// A list of disposable e-mail domains to use instead of the bundled one.
    public var disposableDomainsFile: String?
    /// Days a confirmation link works.
    public var confirmationLifetimeDays = 7
    /// `full` (every acknowledged signature survives a power cut) or `normal`. On PostgreSQL it
    /// sets `synchronous_commit` (`on` or `off`) for Vigil's connections.
    public var sqliteSynchronous = "full"
    /// Days after a petition is closed or delivered before its signers' personal data is erased.
    public var retentionDays = 90
    /// Days the keyed hashes of client addresses and networks are kept for review.
    public var clientHashDays = 7
    /// Days a sent or failed e-mail, its sealed address included, stays in the outbox.
    public var mailHistoryDays = 7
    /// Trust `X-Forwarded-For` from a reverse proxy for the client's address.
    public var behindProxy = false
    /// Seconds between two tree heads of a growing tally log.
    public var treeHeadIntervalSeconds = 60
    /// Seconds between two looks at the database for content changed by another process.
    public var contentCheckSeconds = 5
    /// Most connections open at once; more wait in the listen queue.
    public var maxConnections = 4096
    /// Seconds a connection may stay silent (reading or writing nothing) before it is closed.
    public var idleTimeoutSeconds = 30
    /// The bearer token a scraper must present for `/metrics`; without it `/metrics` is not served.
    public var metricsToken: String?
    public var logLevel = Logger.Level.info

    /// How e-mail leaves the server.
    public enum MailTransportChoice: String, Sendable {
        case file, smtp
    }

    /// A setting that cannot be used as given.
    public struct Problem: Error, CustomStringConvertible {
        public let setting: String
        public let reason: String
        public var description: String {
            "setting \(setting) (environment variable VIGIL_\(setting.uppercased())): \(reason)"
        }
    }

    public init() {}

    /// The base URL with no trailing slash.
    public var publicURL: String {
        let url = baseURL ?? "http://\(host):\(port)"
        return url.hasSuffix("/") ? String(url.dropLast()) : url
    }

    /// Whether the site is served over HTTPS, which makes cookies `Secure` and adds HSTS.
    public var isHTTPS: Bool { publicURL.lowercased().hasPrefix("https://") }

    /// Reads the settings from a configuration reader, checking each.
    public init(reader: ConfigReader) throws {
        var settings = VigilConfiguration()
        settings.host = reader.string(forKey: "host", default: settings.host)
        settings.port = reader.int(forKey: "port", default: settings.port)
        settings.dataDirectory = reader.string(forKey: "data_dir", default: settings.dataDirectory)
        settings.masterKeyFile = reader.string(forKey: "master_key_file")
        settings.databaseURL = reader.string(forKey: "database_url", isSecret: true).flatMap { $0.isEmpty ? nil : $0 }
        settings.databaseSchema = reader.string(forKey: "database_schema", default: settings.databaseSchema)
        settings.contentDirectory = reader.string(forKey: "content_dir", default: settings.contentDirectory)
        settings.baseURL = reader.string(forKey: "base_url")
        let transport = reader.string(forKey: "mail_transport", default: settings.mailTransport.rawValue)
        guard let choice = MailTransportChoice(rawValue: transport) else {
            throw Problem(setting: "mail_transport", reason: "'\(transport)' is not 'file' or 'smtp'")
        }
        settings.mailTransport = choice
        settings.mailFrom = reader.string(forKey: "mail_from", default: settings.mailFrom)
        settings.smtpHost = reader.string(forKey: "smtp_host", default: settings.smtpHost)
        settings.smtpPort = reader.int(forKey: "smtp_port")
        settings.smtpSecurity = reader.string(forKey: "smtp_security", default: settings.smtpSecurity)
        settings.smtpUsername = reader.string(forKey: "smtp_username")
        settings.smtpPassword = reader.string(forKey: "smtp_password", isSecret: true)
        settings.smtpCAFile = reader.string(forKey: "smtp_ca_file")
        settings.signRateLimit = reader.int(forKey: "sign_rate_limit", default: settings.signRateLimit)
        settings.signRateLimitHourly = reader.int(forKey: "sign_rate_limit_hourly", default: settings.signRateLimitHourly)
        settings.rangeRateLimit = reader.int(forKey: "range_rate_limit", default: settings.rangeRateLimit)
        settings.rangeRateLimitHourly = reader.int(forKey: "range_rate_limit_hourly", default: settings.rangeRateLimitHourly)
        settings.signMinimumSeconds = reader.int(forKey: "sign_minimum_seconds", default: settings.signMinimumSeconds)
        settings.hotspotThreshold = reader.int(forKey: "hotspot_threshold", default: settings.hotspotThreshold)
        settings.proofOfWorkBits = reader.int(forKey: "proof_of_work_bits", default: settings.proofOfWorkBits)
        settings.disposableDomainsFile = reader.string(forKey: "disposable_domains_file")
        settings.confirmationLifetimeDays = reader.int(
            forKey: "confirmation_ttl_days", default: settings.confirmationLifetimeDays
        )
        settings.sqliteSynchronous = reader.string(forKey: "sqlite_synchronous", default: settings.sqliteSynchronous)
        settings.behindProxy = reader.bool(forKey: "behind_proxy", default: settings.behindProxy)
        settings.treeHeadIntervalSeconds = reader.int(forKey: "tree_head_interval", default: settings.treeHeadIntervalSeconds)
        settings.contentCheckSeconds = reader.int(forKey: "content_check_interval", default: settings.contentCheckSeconds)
        settings.maxConnections = reader.int(forKey: "max_connections", default: settings.maxConnections)
        settings.idleTimeoutSeconds = reader.int(forKey: "idle_timeout", default: settings.idleTimeoutSeconds)
        settings.retentionDays = reader.int(forKey: "retention_days", default: settings.retentionDays)
        settings.clientHashDays = reader.int(forKey: "client_hash_days", default: settings.clientHashDays)
        settings.mailHistoryDays = reader.int(forKey: "mail_history_days", default: settings.mailHistoryDays)
        settings.metricsToken = reader.string(forKey: "metrics_token", isSecret: true)
        let level = reader.string(forKey: "log_level", default: settings.logLevel.rawValue)
        guard let logLevel = Logger.Level(rawValue: level) else {
            throw Problem(setting: "log_level", reason: "'\(level)' is not trace, debug, info, notice, warning, error or critical")
        }
        settings.logLevel = logLevel
        try settings.check()
        self = settings
    }

    /// Refuses values that would make the server misbehave, naming the setting.
    public func check() throws {
        guard (1...65535).contains(port) else { throw Problem(setting: "port", reason: "\(port) is not a TCP port") }
        guard signRateLimit >= 0 else { throw Problem(setting: "sign_rate_limit", reason: "must be 0 (off) or more") }
        for (setting, value) in [
            ("sign_rate_limit_hourly", signRateLimitHourly), ("range_rate_limit", rangeRateLimit),
            ("range_rate_limit_hourly", rangeRateLimitHourly),
        ] where value < 1 {
            throw Problem(setting: setting, reason: "must be 1 or more (sign_rate_limit = 0 turns every limit off)")
        }
        guard hotspotThreshold >= 2 else { throw Problem(setting: "hotspot_threshold", reason: "must be 2 or more") }
        guard (0...600).contains(signMinimumSeconds) else {
            throw Problem(setting: "sign_minimum_seconds", reason: "\(signMinimumSeconds) is not between 0 (off) and 600 seconds")
        }
        guard ProofOfWork.allowedBits.contains(proofOfWorkBits) else {
            throw Problem(
                setting: "proof_of_work_bits",
                reason: "\(proofOfWorkBits) is not between \(ProofOfWork.allowedBits.lowerBound) and \(ProofOfWork.allowedBits.upperBound)"
            )
        }
        guard retentionDays >= 0 else { throw Problem(setting: "retention_days", reason: "must be 0 or more") }
        guard clientHashDays >= 0 else { throw Problem(setting: "client_hash_days", reason: "must be 0 or more") }
        guard mailHistoryDays >= 0 else { throw Problem(setting: "mail_history_days", reason: "must be 0 or more") }
        guard confirmationLifetimeDays >= 1 else {
            throw Problem(setting: "confirmation_ttl_days", reason: "must be at least 1")
        }
        guard maxConnections >= 1 else { throw Problem(setting: "max_connections", reason: "must be 1 or more") }
        guard (1...3_600).contains(idleTimeoutSeconds) else {
            throw Problem(setting: "idle_timeout", reason: "\(idleTimeoutSeconds) is not between 1 and 3600 seconds")
        }
        guard (1...3_600).contains(contentCheckSeconds) else {
            throw Problem(setting: "content_check_interval", reason: "\(contentCheckSeconds) is not between 1 and 3600 seconds")
        }
        guard (1...86_400).contains(treeHeadIntervalSeconds) else {
            throw Problem(setting: "tree_head_interval", reason: "\(treeHeadIntervalSeconds) is not between 1 and 86400 seconds")
        }
        guard ["full", "normal"].contains(sqliteSynchronous) else {
            throw Problem(setting: "sqlite_synchronous", reason: "'\(sqliteSynchronous)' is not 'full' or 'normal'")
        }
        if let databaseURL {
            let scheme = URL(string: databaseURL)?.scheme ?? ""
            guard ["postgres", "postgresql"].contains(scheme) else {
                throw Problem(setting: "database_url", reason: "'\(PostgresLocation.redacted(databaseURL))' is not a postgres:// URL")
            }
        }
        guard databaseSchema.range(of: "^[a-z_][a-z0-9_]{0,62}$", options: .regularExpression) != nil else {
            throw Problem(setting: "database_schema", reason: "'\(databaseSchema)' is not a lower-case SQL name (letters, digits, _)")
        }
        guard ["starttls", "tls", "none"].contains(smtpSecurity) else {
            throw Problem(setting: "smtp_security", reason: "'\(smtpSecurity)' is not 'starttls', 'tls' or 'none'")
        }
        if let metricsToken, metricsToken.count < 16 || metricsToken.contains(where: { $0.isWhitespace }) {
            throw Problem(setting: "metrics_token", reason: "must be at least 16 characters, without spaces (try `openssl rand -hex 32`)")
        }
        guard let url = URL(string: publicURL), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw Problem(setting: "base_url", reason: "'\(publicURL)' is not an http(s) URL")
        }
    }

    /// Builds the reader: environment variables first, then the YAML file if there is one.
    ///
    /// - Parameter file: the YAML file; when `nil`, `VIGIL_CONFIG_FILE` or `vigil.yaml` in the
    ///   working folder is used if present.
    public static func reader(environment: [String: String] = ProcessInfo.processInfo.environment, file: String? = nil) async throws -> ConfigReader {
        let environmentProvider = EnvironmentVariablesProvider(
            environmentVariables: environment,
            secretsSpecifier: .specific(["VIGIL_SMTP_PASSWORD", "VIGIL_METRICS_TOKEN"])
        ).prefixKeys(with: "vigil")
        let path = file ?? environment["VIGIL_CONFIG_FILE"]
        if let path {
            guard FileManager.default.fileExists(atPath: path) else {
                throw Problem(setting: "config_file", reason: "\(path) does not exist")
            }
        }
        let chosen = path ?? "vigil.yaml"
        guard FileManager.default.fileExists(atPath: chosen) else {
            return ConfigReader(provider: environmentProvider)
        }
        let fileProvider = try await FileProvider<YAMLSnapshot>(filePath: FilePath(chosen))
        return ConfigReader(providers: [environmentProvider, fileProvider])
    }
}
