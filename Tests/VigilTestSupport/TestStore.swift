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

/// A store on a fresh SQLite file in a temporary folder, loaded with the repository's
/// `Content/`, with its signature writer running.
public struct TestStore: Sendable {
    public let store: Store
    public let folder: URL
    public let clock: TestClock
    public let writerTask: Task<Void, any Error>

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
        let store = try await Store.openSQLite(
            path: folder.appendingPathComponent("vigil.sqlite").path,
            cipher: PersonalDataCipher(masterKey: masterKey),
            settings: settings,
            durability: durability,
            now: { clock.now },
            logger: quietLogger
        )
        if loadContent {
            try await store.importContent(try CampaignContent.load(from: content ?? contentFolder))
        }
        let writer = store.signatureWriter
        let writerTask = Task { try await writer.run() }
        return TestStore(store: store, folder: folder, clock: clock, writerTask: writerTask)
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
        try? FileManager.default.removeItem(at: folder)
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
