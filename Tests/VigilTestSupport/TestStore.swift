import Foundation
import Logging
import VigilCore
import VigilStore

/// A clock tests can move forward.
public final class TestClock: Sendable {
    private let current = Locked(Date(timeIntervalSince1970: 1_790_000_000))

    public init() {}

    public var now: Date { current.withLock { $0 } }

    public func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}

/// A store on a fresh database (a SQLite file in a temporary folder, or a schema of its own on
/// PostgreSQL, as ``TestDatabase/current`` says), loaded with the repository's `Content/`, with
/// its signature writer running.
public struct TestStore: Sendable {
    public let store: Store
    public let folder: URL
    /// Where the data is: reopen it with ``open(cipher:settings:now:)``.
    public let location: Location
    public let clock: TestClock
    public let writerTask: Task<Void, any Error>

    /// A test store's database.
    public enum Location: Sendable {
        case sqlite(path: String)
        case postgres(PostgresLocation)

        /// A new, empty database of the kind the running test asks for.
        public static func fresh(in folder: URL) -> Location {
            switch TestDatabase.current {
            case .sqlite: .sqlite(path: folder.appendingPathComponent("vigil.sqlite").path)
            case .postgres(let url): .postgres(PostgresLocation(url: url, schema: TestDatabase.freshSchemaName()))
            }
        }

        /// Opens (and migrates) the database.
        public func open(
            cipher: PersonalDataCipher,
            settings: SigningSettings = SigningSettings(),
            durability: Store.Durability = .normal,
            now: @escaping @Sendable () -> Date = { Date() }
        ) async throws -> Store {
            switch self {
            case .sqlite(let path):
                try await Store.openSQLite(
                    path: path, cipher: cipher, settings: settings, durability: durability, now: now, logger: TestStore.quietLogger
                )
            case .postgres(let location):
                try await Store.openPostgres(
                    location, cipher: cipher, settings: settings, durability: durability, now: now, logger: TestStore.quietLogger
                )
            }
        }

        /// Removes what is left of the database.
        public func remove() async {
            if case .postgres(let location) = self { await TestDatabase.dropSchema(location.schema, url: location.url) }
        }
    }

    public static let masterKey = [UInt8](repeating: 7, count: PersonalDataCipher.masterKeyByteCount)
    public static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }
    public static var quietLogger: Logger {
        var logger = Logger(label: "vigil.test")
        logger.logLevel = .warning
        return logger
    }
    public static var contentFolder: URL { repositoryRoot.appendingPathComponent("Content") }

    /// A copy of the repository's `Content/` in a temporary folder, for tests that edit files.
    /// Each edit replaces the first occurrence of a text in a file (relative to the folder)
    /// and fails if the text is not there, so a test cannot silently edit nothing.
    public static func copyOfContent(editing edits: [(file: String, find: String, replace: String)] = []) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-content-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: contentFolder, to: folder)
        for edit in edits {
            let url = folder.appendingPathComponent(edit.file)
            let text = try String(contentsOf: url, encoding: .utf8)
            guard let range = text.range(of: edit.find) else {
                throw StoreError.content(file: edit.file, problem: "test edit: '\(edit.find)' not found")
            }
            try text.replacingCharacters(in: range, with: edit.replace).write(to: url, atomically: true, encoding: .utf8)
        }
        return folder
    }

    public static func make(
        settings: SigningSettings = SigningSettings(),
        durability: Store.Durability = .normal,
        loadContent: Bool = true,
        content: URL? = nil
    ) async throws -> TestStore {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let clock = TestClock()
        let location = Location.fresh(in: folder)
        let store = try await location.open(
            cipher: PersonalDataCipher(masterKey: masterKey), settings: settings, durability: durability, now: { clock.now }
        )
        if loadContent {
            do {
                try await store.importContent(try CampaignContent.load(from: content ?? contentFolder))
            } catch {
                await store.close()
                await location.remove()
                throw error
            }
        }
        let writer = store.signatureWriter
        let writerTask = Task { try await writer.run() }
        return TestStore(store: store, folder: folder, location: location, clock: clock, writerTask: writerTask)
    }

    /// Runs `body` with a fresh store and always shuts it down afterwards, even when `body` throws.
    public static func with(
        settings: SigningSettings = SigningSettings(),
        durability: Store.Durability = .normal,
        loadContent: Bool = true,
        content: URL? = nil,
        _ body: (TestStore) async throws -> Void
    ) async throws {
        let test = try await make(settings: settings, durability: durability, loadContent: loadContent, content: content)
        do {
            try await body(test)
        } catch {
            await test.shutdown()
            throw error
        }
        await test.shutdown()
    }

    /// Stops the writer after it finished its queue, closes the database and removes the folder.
    public func shutdown() async {
        store.signatureWriter.stopAccepting()
        _ = try? await writerTask.value
        await store.close()
        await location.remove()
        try? FileManager.default.removeItem(at: folder)
    }

    /// Opens the test's database once more, as a restarted server would (stop the first store
    /// or its writer first where the test needs it stopped).
    public func open(
        cipher: PersonalDataCipher = PersonalDataCipher(masterKey: TestStore.masterKey),
        settings: SigningSettings = SigningSettings(),
        now: (@Sendable () -> Date)? = nil
    ) async throws -> Store {
        let clock = clock
        return try await location.open(cipher: cipher, settings: settings, now: now ?? { clock.now })
    }

    /// The campaign's petition.
    public func petition() async throws -> Petition {
        guard let petition = try await store.petition(slug: "osce-moscow-mechanism") else {
            throw StoreError.notFound("osce-moscow-mechanism")
        }
        return petition
    }

    /// A valid signing request for an address, from a country.
    public func request(
        email: String,
        name: String = "Ani Hakobyan",
        country: String = "FR",
        hold: HoldReason? = nil
    ) async throws -> SigningRequest {
        let form = SignatureForm(name: name, email: email, country: country)
        let signature = try form.validated().get()
        return SigningRequest(
            petitionID: try await petition().id,
            signature: signature,
            language: .english,
            textHash: Self.textHash,
            hold: hold
        )
    }

    /// A text hash for test signatures: the SHA-256 of "test", as a petition text's hash is.
    public static let textHash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

    /// The confirmation token in the newest queued confirmation e-mail to `address`.
    public func confirmationToken(for address: String) async throws -> ConfirmationToken? {
        let mail = try await store.unsentMail().last { $0.recipient == address && $0.kind == .confirmSignature }
        return mail?.fields["token"].flatMap { ConfirmationToken(link: $0) }
    }
}
