import Foundation
import Logging
import Testing
import VigilMail
import VigilStore
@testable import VigilWeb

@Suite("Configuration")
struct ConfigurationTests {
    @Test("defaults are what the README lists")
    func defaults() async throws {
        let settings = try VigilConfiguration(reader: try await VigilConfiguration.reader(environment: [:], file: nil))
        #expect(settings.host == "127.0.0.1")
        #expect(settings.port == 8080)
        #expect(settings.dataDirectory == "data")
        #expect(settings.mailTransport == .file)
        #expect(settings.signRateLimit == 5)
        #expect(settings.confirmationLifetimeDays == 7)
        #expect(settings.sqliteSynchronous == "full")
        #expect(settings.treeHeadIntervalSeconds == 60)
        #expect(settings.contentCheckSeconds == 5)
        #expect(settings.maxConnections == 4096 && settings.idleTimeoutSeconds == 30)
        #expect(settings.signRateLimitHourly == 20 && settings.rangeRateLimit == 30 && settings.rangeRateLimitHourly == 300)
        #expect(settings.signMinimumSeconds == 3 && settings.disposableDomainsFile == nil)
        #expect(settings.proofOfWorkBits == 14)
        #expect(settings.publicURL == "http://127.0.0.1:8080")
        #expect(!settings.isHTTPS)
    }

    @Test("environment variables come first, then the YAML file, then the defaults")
    func layering() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: file) }
        try """
            port: 7000
            base_url: https://petition.example.org/
            data_dir: /var/lib/vigil
            behind_proxy: true
            """.write(to: file, atomically: true, encoding: .utf8)
        let environment = [
            "VIGIL_PORT": "9090",
            "VIGIL_MAIL_TRANSPORT": "smtp",
            "VIGIL_SIGN_RATE_LIMIT": "0",
            "VIGIL_SMTP_PASSWORD": "hunter2",
        ]
        let settings = try VigilConfiguration(reader: try await VigilConfiguration.reader(environment: environment, file: file.path))
        #expect(settings.port == 9090)
        #expect(settings.publicURL == "https://petition.example.org")
        #expect(settings.isHTTPS)
        #expect(settings.dataDirectory == "/var/lib/vigil")
        #expect(settings.behindProxy)
        #expect(settings.mailTransport == .smtp)
        #expect(settings.signRateLimit == 0)
        #expect(settings.smtpPassword == "hunter2")
    }

    @Test("a value that cannot work is refused, naming its environment variable", arguments: [
        ("VIGIL_MAIL_TRANSPORT", "pigeon", "VIGIL_MAIL_TRANSPORT"),
        ("VIGIL_PORT", "99999", "VIGIL_PORT"),
        ("VIGIL_SIGN_RATE_LIMIT", "-1", "VIGIL_SIGN_RATE_LIMIT"),
        ("VIGIL_SQLITE_SYNCHRONOUS", "off", "VIGIL_SQLITE_SYNCHRONOUS"),
        ("VIGIL_BASE_URL", "ftp://example.org", "VIGIL_BASE_URL"),
        ("VIGIL_LOG_LEVEL", "loud", "VIGIL_LOG_LEVEL"),
        ("VIGIL_TREE_HEAD_INTERVAL", "0", "VIGIL_TREE_HEAD_INTERVAL"),
        ("VIGIL_CONTENT_CHECK_INTERVAL", "0", "VIGIL_CONTENT_CHECK_INTERVAL"),
        ("VIGIL_IDLE_TIMEOUT", "0", "VIGIL_IDLE_TIMEOUT"),
        ("VIGIL_MAX_CONNECTIONS", "0", "VIGIL_MAX_CONNECTIONS"),
        ("VIGIL_SIGN_MINIMUM_SECONDS", "-1", "VIGIL_SIGN_MINIMUM_SECONDS"),
        ("VIGIL_RANGE_RATE_LIMIT", "0", "VIGIL_RANGE_RATE_LIMIT"),
        ("VIGIL_CONTENT_CHECK_INTERVAL", "3601", "VIGIL_CONTENT_CHECK_INTERVAL"),
        ("VIGIL_TREE_HEAD_INTERVAL", "86401", "VIGIL_TREE_HEAD_INTERVAL"),
        ("VIGIL_PROOF_OF_WORK_BITS", "0", "VIGIL_PROOF_OF_WORK_BITS"),
        ("VIGIL_PROOF_OF_WORK_BITS", "33", "VIGIL_PROOF_OF_WORK_BITS"),
        ("VIGIL_DATABASE_URL", "mysql://vigil@db/vigil", "VIGIL_DATABASE_URL"),
        ("VIGIL_DATABASE_SCHEMA", "Campaign-2", "VIGIL_DATABASE_SCHEMA"),
        ("VIGIL_MAIL_HISTORY_DAYS", "-1", "VIGIL_MAIL_HISTORY_DAYS"),
    ])
    func refusesBadValues(variable: String, value: String, named: String) async throws {
        await #expect {
            try VigilConfiguration(reader: try await VigilConfiguration.reader(environment: [variable: value], file: nil))
        } throws: { error in
            "\(error)".contains(named)
        }
    }

    @Test("a named settings file that does not exist is an error, not silently ignored")
    func missingFile() async {
        await #expect(throws: VigilConfiguration.Problem.self) {
            try await VigilConfiguration.reader(environment: [:], file: "/nonexistent/vigil.yaml")
        }
    }
}

@Suite("Mail transport choice")
struct MailTransportChoiceTests {
    @Test("mail_transport=smtp builds the SMTP transport from the settings; a missing CA file stops the start")
    func smtp() throws {
        var configuration = VigilConfiguration()
        configuration.mailTransport = .smtp
        configuration.smtpHost = "mail.example.org"
        configuration.smtpSecurity = "tls"
        configuration.smtpUsername = "petition@example.org"
        configuration.smtpPassword = "secret"
        configuration.baseURL = "https://petition.example.org"
        let folder = DataFolder(url: FileManager.default.temporaryDirectory.appendingPathComponent("unused"))
        let transport = try VigilServer.makeTransport(configuration: configuration, folder: folder, logger: Logger(label: "test"))
        let smtp = try #require(transport as? SMTPMailTransport)
        #expect(smtp.settings.host == "mail.example.org")
        #expect(smtp.settings.port == 465)
        #expect(smtp.settings.security == .implicitTLS)
        #expect(smtp.settings.heloName == "petition.example.org")
        #expect(smtp.settings.username == "petition@example.org")

        configuration.smtpSecurity = "starttls"
        configuration.smtpPort = 2525
        let startTLS = try #require(
            try VigilServer.makeTransport(configuration: configuration, folder: folder, logger: Logger(label: "test")) as? SMTPMailTransport
        )
        #expect(startTLS.settings.security == .startTLS && startTLS.settings.port == 2525)

        configuration.smtpCAFile = "/nonexistent/ca.pem"
        #expect(throws: VigilConfiguration.Problem.self) {
            try VigilServer.makeTransport(configuration: configuration, folder: folder, logger: Logger(label: "test"))
        }
    }

    @Test("mail_transport=file writes into the data folder")
    func file() throws {
        let folder = DataFolder(url: FileManager.default.temporaryDirectory.appendingPathComponent("vigil-data"))
        let transport = try VigilServer.makeTransport(configuration: VigilConfiguration(), folder: folder, logger: Logger(label: "test"))
        #expect((transport as? FileMailTransport)?.folder == folder.mailFolder)
    }
}
