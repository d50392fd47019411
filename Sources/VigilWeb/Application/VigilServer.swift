import CoreMetrics
import Crypto
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import ServiceLifecycle
import VigilCore
import VigilMail
import VigilStore

/// The application Vigil runs: its router behind the language prefixes.
typealias VigilApplication = Application<LanguagePrefixResponder<RouterResponder<VigilRequestContext>>>

/// A Vigil server put together from its configuration: the store, the mail worker and the web
/// application, started and stopped as one.
public struct VigilServer: Sendable {
    public let store: Store
    let application: VigilApplication
    let services: VigilServices
    /// Every route the application answers, as `GET /admin/petitions/{slug}`, so that a test can
    /// check that each console route has its permission.
    let routes: [String]

    /// Prepares the data folder, opens and migrates the database, loads the campaign content on
    /// first start, and builds the web application.
    ///
    /// - Parameter metrics: what `/metrics` serves; the signature writer records into it, and
    ///   request metrics reach it when it is the process's metrics system (``VigilMetrics/bootstrapped()``).
    public static func build(
        configuration: VigilConfiguration,
        mailTransport: (any MailTransport)? = nil,
        now: @escaping @Sendable () -> Date = { Date() },
        staffSignIn: StaffSignInSettings = StaffSignInSettings(),
        metrics: VigilMetrics = VigilMetrics(),
        logger: Logger
    ) async throws -> VigilServer {
        let (store, folder, masterKey, logKey) = try await openStore(
            configuration: configuration, now: now, metrics: metrics.factory, logger: logger
        )
        do {
            try await loadCampaignOnFirstStart(store: store, configuration: configuration, logger: logger)
            let (application, services, routes) = try await makeApplication(
                configuration: configuration,
                store: store,
                folder: folder,
                masterKey: masterKey,
                logKey: logKey,
                mailTransport: mailTransport,
                now: now,
                staffSignIn: staffSignIn,
                metrics: metrics,
                logger: logger
            )
            return VigilServer(store: store, application: application, services: services, routes: routes)
        } catch {
            await store.close()
            throw error
        }
    }

    /// Loads the campaign from the content folder into a database that has none yet.
    public static func loadCampaignOnFirstStart(store: Store, configuration: VigilConfiguration, logger: Logger) async throws {
        guard try await !store.hasContent() else { return }
        let contentFolder = URL(fileURLWithPath: configuration.contentDirectory)
        let content = try CampaignContent.load(from: contentFolder)
        try await store.importContent(content)
        logger.notice(
            "loaded the campaign from \(contentFolder.path): \(content.petitions.count) petition(s), \(content.detainees.count) people"
        )
    }

    /// The data folder of a configuration.
    public static func dataFolder(_ configuration: VigilConfiguration) -> DataFolder {
        DataFolder(
            url: URL(fileURLWithPath: configuration.dataDirectory),
            masterKeyFile: configuration.masterKeyFile.map { URL(fileURLWithPath: $0) }
        )
    }

    /// Creates the data folder if needed and takes its lock, for a server or a command that must
    /// not run beside one on a SQLite database; throws ``StoreError/dataFolderInUse(folder:pid:)`` if another process
    /// holds it. Keep the lock for as long as the process uses the database.
    public static func lockDataFolder(configuration: VigilConfiguration) throws -> DataFolderLock {
        let folder = dataFolder(configuration)
        try folder.prepare()
        return try DataFolderLock.acquire(folder)
    }

    /// Prepares the data folder (creating the master key and the log key on first start) and
    /// opens the database, bringing its schema up to date.
    public static func openStore(
        configuration: VigilConfiguration,
        now: @escaping @Sendable () -> Date = { Date() },
        metrics: any MetricsFactory = MetricsSystem.factory,
        logger: Logger
    ) async throws -> (store: Store, folder: DataFolder, masterKey: [UInt8], logKey: TallyLogKey) {
        let folder = dataFolder(configuration)
        try folder.prepare()
        let (masterKey, createdKey) = try folder.loadOrCreateMasterKey()
        if createdKey {
            logger.notice("created a new master key at \(folder.masterKeyFile.path): back it up apart from the database")
        }
        let (logKey, createdLogKey) = try folder.loadOrCreateLogKey()
        if createdLogKey {
            logger.notice("created the tally log's signing key at \(folder.logKeyFile.path): back it up with the master key")
        }
        let open = { (key: [UInt8]) in
            let cipher = PersonalDataCipher(masterKey: key)
            let settings = SigningSettings(confirmationLifetime: .seconds(configuration.confirmationLifetimeDays * 24 * 3600))
            let durability: Store.Durability = configuration.sqliteSynchronous == "normal" ? .normal : .full
            guard let url = configuration.databaseURL else {
                return try await Store.openSQLite(
                    path: folder.databaseFile.path, cipher: cipher, settings: settings, durability: durability,
                    now: now, metrics: metrics, logger: logger
                )
            }
            return try await Store.openPostgres(
                PostgresLocation(url: url, schema: configuration.databaseSchema), cipher: cipher, settings: settings,
                durability: durability, now: now, metrics: metrics, logger: logger
            )
        }
        do {
            let store = try await open(masterKey)
            // A rotation that did not commit leaves its new key behind; it was never used.
            try? FileManager.default.removeItem(at: folder.nextMasterKeyFile)
            return (store, folder, masterKey, logKey)
        } catch StoreError.wrongKey(let recorded, let given) {
            // A rotation that committed but stopped before renaming the key files: finish it.
            guard let next = try folder.nextMasterKey(), PersonalDataCipher(masterKey: next).keyID == recorded else {
                throw StoreError.wrongKey(recorded: recorded, given: given)
            }
            _ = try folder.promoteNextMasterKey()
            logger.notice("finished an interrupted key rotation: \(folder.masterKeyFile.path) is the new master key")
            return (try await open(next), folder, next, logKey)
        }
    }

    /// Runs until SIGINT or SIGTERM, then stops taking requests, finishes those in flight and the
    /// signature writer's queue, and closes the database.
    public func run() async throws {
        do {
            try await application.runService()
        } catch {
            await store.close()
            throw error
        }
        await store.close()
    }

    static func makeApplication(
        configuration: VigilConfiguration,
        store: Store,
        folder: DataFolder,
        masterKey: [UInt8],
        logKey: TallyLogKey,
        mailTransport: (any MailTransport)?,
        now: @escaping @Sendable () -> Date,
        staffSignIn: StaffSignInSettings,
        metrics: VigilMetrics,
        logger: Logger
    ) async throws -> (VigilApplication, VigilServices, [String]) {
        let master = SymmetricKey(data: masterKey)
        let renderer = try await PageRenderer.load(campaignNames: try await store.campaignNames(), publicURL: configuration.publicURL)
        let registryVersion = try await store.registryVersion()
        let registry = try await RegistryDirectory.load(store: store)
        let directory = PetitionDirectory(store: store, registry: registry)
        let committees = CommitteeDirectory(store: store)
        try await committees.reload()
        let contentWatcher = ContentWatcher(
            store: store, directory: directory, committees: committees, registry: registry, version: registryVersion,
            underAttack: try await store.underAttack(), interval: .seconds(configuration.contentCheckSeconds), logger: logger
        )
        let passwordPolicy = PasswordPolicy(forbidden: try commonPasswords())
        let clientHashKey = MACKey(PersonalDataCipher.derive(from: master, purpose: "vigil/client-address"))
        let services = VigilServices(
            store: store,
            directory: directory,
            committees: committees,
            contentWatcher: contentWatcher,
            renderer: renderer,
            pageCache: PageCache(),
            timelines: TimelineCache(store: store),
            csrf: CSRFProtection(key: PersonalDataCipher.derive(from: master, purpose: "vigil/csrf"), random: SystemRandomSource()),
            signingGuard: SigningGuard(
                configuration: configuration,
                limits: SigningLimits(configuration: configuration, store: store) { VigilServices.keyedHash($0, key: clientHashKey) },
                disposableDomains: try disposableDomains(configuration)
            ),
            proofOfWork: ProofOfWork(
                key: PersonalDataCipher.derive(from: master, purpose: "vigil/proof-of-work"),
                bits: configuration.proofOfWorkBits,
                random: SystemRandomSource()
            ),
            clientHashKey: clientHashKey,
            logKey: logKey,
            authentication: StaffAuthentication(
                store: store, settings: staffSignIn, passwordPolicy: passwordPolicy,
                random: SystemRandomSource(), now: now
            ),
            passwordPolicy: passwordPolicy,
            configuration: configuration,
            mechanism: try MechanismContent.load(
                from: URL(fileURLWithPath: configuration.contentDirectory).appendingPathComponent("mechanism")
            ),
            scratchFolder: folder.scratchFolder,
            now: now,
            logger: logger
        )

        let transport = try mailTransport ?? makeTransport(configuration: configuration, folder: folder, logger: logger)
        let composer = try await MailComposer(
            store: store,
            baseURL: configuration.publicURL,
            from: try MailMessage.Mailbox(parsing: configuration.mailFrom)
        )
        let mailWorker = MailWorker(store: store, transport: transport, composer: composer, logger: logger)

        let router = Router(context: VigilRequestContext.self)
        // Outermost, so it counts every answer with its final status, errors included.
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: SecurityHeadersMiddleware(https: configuration.isHTTPS))
        router.add(middleware: ErrorPageMiddleware(renderer: renderer, directory: directory))
        OperationsController(services: services, metrics: metrics).addRoutes(to: router)
        PetitionAPIController(services: services).addRoutes(to: router)
        TallyAPIController(services: services).addRoutes(to: router)
        UpdatesController(services: services).addFeedRoutes(to: router)
        SignerController(services: services).addUnsubscribeRoutes(to: router)
        RegistryAPIController(services: services).addRoutes(to: router)
        MechanismController(services: services).addAPIRoutes(to: router)
        EmbedController(services: services).addRoutes(to: router)
        PartnerAPIController(services: services).addRoutes(to: router)
        let pages = router.group().add(
            middleware: CSRFCookieMiddleware(csrf: services.csrf, secureCookies: configuration.isHTTPS)
        )
        PetitionController(services: services).addRoutes(to: pages)
        CommitteeController(services: services).addRoutes(to: pages)
        ConfirmationController(services: services).addRoutes(to: pages)
        VerifyController(services: services).addRoutes(to: pages)
        RegistryController(services: services).addRoutes(to: pages)
        SiteController(services: services, openAPI: try openAPIDocument()).addRoutes(to: pages)
        UpdatesController(services: services).addRoutes(to: pages)
        MechanismController(services: services).addRoutes(to: pages)
        SignerController(services: services).addRoutes(to: pages)
        let console = pages.group().add(middleware: StaffSessionMiddleware(authentication: services.authentication))
        StaffSignInController(services: services).addRoutes(to: console)
        DashboardController(services: services).addRoutes(to: console)
        PetitionEditorController(services: services).addRoutes(to: console)
        SignaturesController(services: services).addRoutes(to: console)
        InvalidationsController(services: services).addRoutes(to: console)
        ModerationController(services: services).addRoutes(to: console)
        UpdatesEditorController(services: services).addRoutes(to: console)
        OutboxController(services: services).addRoutes(to: console)
        StaffController(services: services).addRoutes(to: console)
        DeliveriesController(services: services).addRoutes(to: console)
        MechanismConsoleController(services: services).addRoutes(to: console)
        CommitteesController(services: services).addRoutes(to: console)
        PaperController(services: services).addRoutes(to: console)
        PartnersController(services: services).addRoutes(to: console)
        DossierController(services: services).addRoutes(to: console)
        AuditController(services: services).addRoutes(to: console)

        let routes = router.routes.map { "\($0.method) \($0.path)" }
        let publicURL = configuration.publicURL
        let mailNote = switch configuration.mailTransport {
        case .file: "e-mails are written to \(folder.mailFolder.path) and their links are logged"
        case .smtp: "e-mails are sent through \(configuration.smtpHost) (\(configuration.smtpSecurity))"
        }
        let application = Application(
            responder: LanguagePrefixResponder(inner: router.buildResponder(), secureCookies: configuration.isHTTPS),
            // Slow or oversized clients cannot hold the server: silent connections are closed,
            // headers are bounded (bodies are bounded per request), and connections are capped.
            server: .http1(
                configuration: .init(
                    idleTimeout: .seconds(Int64(configuration.idleTimeoutSeconds)),
                    httpDecoderConfiguration: .init(maxHeaderFieldSize: 16 * 1024, maxHeaderListSize: 32 * 1024, maxHeaderFieldCount: 100)
                )
            ),
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port),
                serverName: nil,
                availableConnectionsDelegate: MaximumAvailableConnections(configuration.maxConnections, logger: logger)
            ),
            services: [
                store.signatureWriter,
                mailWorker,
                TreeHeadSigner(
                    store: store, key: logKey, interval: .seconds(configuration.treeHeadIntervalSeconds), logger: logger
                ),
                contentWatcher,
                PrivacyJob(
                    store: store, retentionDays: configuration.retentionDays, clientHashDays: configuration.clientHashDays,
                    mailHistoryDays: configuration.mailHistoryDays,
                    interval: .seconds(24 * 3600), logger: logger
                ),
            ],
            onServerRunning: { _ in
                logger.notice("Vigil is running at \(publicURL) (\(mailNote))")
                print("Vigil is running at \(publicURL)\n\(mailNote.prefix(1).uppercased() + mailNote.dropFirst()).")
            },
            logger: logger
        )
        return (application, services, routes)
    }

    /// Creates a staff account from the command line and returns its one-time setup link.
    public func invite(email: String, role: StaffRole) async throws -> String {
        try await services.inviteStaff(
            email: email, role: role, actor: AuditRecord(staffID: nil, actor: "command line", action: "")
        ).link
    }

    static func makeTransport(configuration: VigilConfiguration, folder: DataFolder, logger: Logger) throws -> any MailTransport {
        switch configuration.mailTransport {
        case .file:
            return FileMailTransport(folder: folder.mailFolder, logger: logger)
        case .smtp:
            let security: SMTPSettings.Security = switch configuration.smtpSecurity {
            case "tls": .implicitTLS
            case "none": .none
            default: .startTLS
            }
            let settings = SMTPSettings(
                host: configuration.smtpHost,
                port: configuration.smtpPort,
                security: security,
                username: configuration.smtpUsername,
                password: configuration.smtpPassword,
                heloName: URL(string: configuration.publicURL)?.host ?? "localhost",
                additionalTrustedCAFile: configuration.smtpCAFile
            )
            do {
                return try SMTPMailTransport(settings: settings, logger: logger)
            } catch {
                throw VigilConfiguration.Problem(setting: "smtp_ca_file", reason: "the TLS setup failed: \(error)")
            }
        }
    }

    /// The bundled list of passwords too common to allow.
    static func commonPasswords() throws -> [String] {
        let url = PageRenderer.webResources.appendingPathComponent("common-passwords.txt")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw PageRenderer.Problem(description: "common-passwords.txt is missing from the build at \(url.path)")
        }
        return text.split(whereSeparator: \.isNewline).map(String.init)
    }

    /// The disposable e-mail domains: the operator's list if configured, else the bundled one.
    static func disposableDomains(_ configuration: VigilConfiguration) throws -> DisposableDomains {
        let url = configuration.disposableDomainsFile.map { URL(fileURLWithPath: $0) }
            ?? PageRenderer.webResources.appendingPathComponent("disposable-email-domains.txt")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw VigilConfiguration.Problem(setting: "disposable_domains_file", reason: "cannot read \(url.path)")
        }
        return DisposableDomains(list: text)
    }

    /// The OpenAPI description bundled with the server.
    static func openAPIDocument() throws -> ByteBuffer {
        let url = PageRenderer.webResources.appendingPathComponent("openapi.yaml")
        guard let data = try? Data(contentsOf: url) else {
            throw PageRenderer.Problem(description: "openapi.yaml is missing from the build at \(url.path)")
        }
        return ByteBuffer(bytes: data)
    }
}
