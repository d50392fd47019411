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

    /// The SQLite database file.
    public var databaseFile: URL { url.appendingPathComponent("vigil.sqlite") }
    /// Where the file mail transport writes `.eml` files.
    public var mailFolder: URL { url.appendingPathComponent("mail") }

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
        do {
            try files.createDirectory(
                at: masterKeyFile.deletingLastPathComponent(),
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
            guard files.createFile(
                atPath: masterKeyFile.path,
                contents: Data((Data(key).base64EncodedString() + "\n").utf8),
                attributes: [.posixPermissions: 0o600]
            ) else {
                throw StoreError.dataDirectory("cannot write \(masterKeyFile.path)")
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.dataDirectory("cannot create \(masterKeyFile.deletingLastPathComponent().path): \(error.localizedDescription)")
        }
        return (key, true)
    }
}
