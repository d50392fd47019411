import Foundation
import VigilCore

/// The folder that holds an installation's state: the database, the master key and, in
/// development, the e-mails written to files. Created on first start, readable by its owner only.
public struct DataFolder: Sendable {
    public let url: URL
    /// Where the master key is kept. By default inside the folder; it can live elsewhere
    /// (a secrets mount) so that a copy of the database alone reveals no personal data.
    public let masterKeyFile: URL

    public init(url: URL, masterKeyFile: URL? = nil) {
        self.url = url
        self.masterKeyFile = masterKeyFile ?? url.appendingPathComponent("keys/master.key")
    }

    /// The Ed25519 key that signs the tally logs' tree heads, beside the master key.
    public var logKeyFile: URL { masterKeyFile.deletingLastPathComponent().appendingPathComponent("log.key") }

    /// The SQLite database file.
    public var databaseFile: URL { url.appendingPathComponent("vigil.sqlite") }
    /// The file a server holds locked so that a second one refuses to start (``DataFolderLock``).
    public var lockFile: URL { url.appendingPathComponent("vigil.lock") }
    /// Where the file mail transport writes `.eml` files.
    public var mailFolder: URL { url.appendingPathComponent("mail") }
    /// Files that live only while they are used, such as a dossier on its way to a staff
    /// member's browser: owner-only like the rest of the folder, unlike the shared `/tmp`.
    public var scratchFolder: URL { url.appendingPathComponent("tmp") }

    /// Creates the folder if needed, owner-only.
    public func prepare() throws {
        do {
            try FileManager.default.createDirectory(
                at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700]
            )
        } catch {
            throw StoreError.dataDirectory("cannot create \(url.path): \(error.localizedDescription)")
        }
    }

    /// Where a new master key waits while `vigil keys rotate` re-seals the database.
    public var nextMasterKeyFile: URL { masterKeyFile.appendingPathExtension("next") }

    /// Writes a new random master key beside the current one, for a rotation.
    public func writeNextMasterKey(random: some RandomSource = SystemRandomSource()) throws -> [UInt8] {
        let key = random.bytes(PersonalDataCipher.masterKeyByteCount)
        try? FileManager.default.removeItem(at: nextMasterKeyFile)
        guard FileManager.default.createFile(
            atPath: nextMasterKeyFile.path,
            contents: Data((Data(key).base64EncodedString() + "\n").utf8),
            attributes: [.posixPermissions: 0o600]
        ) else {
            throw StoreError.dataDirectory("cannot write \(nextMasterKeyFile.path)")
        }
        return key
    }

    /// The new key from a rotation, if one is waiting.
    public func nextMasterKey() throws -> [UInt8]? {
        guard FileManager.default.fileExists(atPath: nextMasterKeyFile.path) else { return nil }
        return try Self.readKey(nextMasterKeyFile)
    }

    /// Makes the waiting key the master key. The old one is kept, renamed with the day, because
    /// backups made before the rotation still need it; delete it when those backups are gone.
    public func promoteNextMasterKey(now: Date = Date()) throws -> URL {
        let day = now.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC") ?? .current).year().month().day())
        let retired = masterKeyFile.deletingLastPathComponent()
            .appendingPathComponent("\(masterKeyFile.lastPathComponent).retired-\(day)-\(Int(now.timeIntervalSince1970))")
        do {
            try FileManager.default.moveItem(at: masterKeyFile, to: retired)
            try FileManager.default.moveItem(at: nextMasterKeyFile, to: masterKeyFile)
        } catch {
            throw StoreError.dataDirectory("cannot put the new master key in place: \(error.localizedDescription)")
        }
        return retired
    }

    private static func readKey(_ file: URL) throws -> [UInt8] {
        guard let text = try? String(contentsOf: file, encoding: .utf8),
              let key = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)),
              key.count == PersonalDataCipher.masterKeyByteCount
        else {
            throw StoreError.dataDirectory("\(file.path) is not a base64-encoded \(PersonalDataCipher.masterKeyByteCount)-byte key")
        }
        return Array(key)
    }

    /// Reads the master key, creating a new random one on first start.
    ///
    /// Losing this file makes every stored name and address unreadable: back it up apart
    /// from the database.
    public func loadOrCreateMasterKey(random: some RandomSource = SystemRandomSource()) throws -> (key: [UInt8], created: Bool) {
        let files = FileManager.default
        if files.fileExists(atPath: masterKeyFile.path) {
            return (try Self.readKey(masterKeyFile), false)
        }
        let key = random.bytes(PersonalDataCipher.masterKeyByteCount)
        try writeSecret(Data((Data(key).base64EncodedString() + "\n").utf8), to: masterKeyFile)
        return (key, true)
    }

    /// Writes a key file readable by its owner only (0600), in an owner-only folder.
    private func writeSecret(_ contents: Data, to file: URL) throws {
        let files = FileManager.default
        do {
            try files.createDirectory(
                at: file.deletingLastPathComponent(),
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
            guard files.createFile(atPath: file.path, contents: contents, attributes: [.posixPermissions: 0o600]) else {
                throw StoreError.dataDirectory("cannot write \(file.path)")
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.dataDirectory("cannot create \(file.deletingLastPathComponent().path): \(error.localizedDescription)")
        }
    }

    /// Reads the tally log's signing key, creating a new one on first start.
    ///
    /// Losing it does not lose data, but tree heads signed with a new key cannot be checked
    /// against the old public key that addressees may have kept: back it up with the master key.
    public func loadOrCreateLogKey(random: some RandomSource = SystemRandomSource()) throws -> (key: TallyLogKey, created: Bool) {
        let file = logKeyFile
        if FileManager.default.fileExists(atPath: file.path) {
            guard let text = try? String(contentsOf: file, encoding: .utf8),
                  let raw = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)),
                  let key = try? TallyLogKey(rawRepresentation: Array(raw))
            else {
                throw StoreError.dataDirectory("\(file.path) is not a base64-encoded 32-byte Ed25519 key")
            }
            return (key, false)
        }
        let key: TallyLogKey
        do {
            key = try TallyLogKey.generate(random: random)
        } catch {
            throw StoreError.dataDirectory("cannot make a log key: \(error)")
        }
        try writeSecret(Data((Data(key.rawRepresentation).base64EncodedString() + "\n").utf8), to: file)
        return (key, true)
    }
}
