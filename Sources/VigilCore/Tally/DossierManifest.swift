import Foundation

/// `manifest.json` of a delivery dossier: the SHA-256 of every other file, signed with the log key.
public struct DossierManifest: Sendable, Equatable, Codable {
    /// One file of the dossier.
    public struct File: Sendable, Equatable, Codable {
        public var name: String
        /// Lower-case hex SHA-256 of the file's bytes.
        public var sha256: String
        public var size: UInt64

        public init(name: String, sha256: String, size: UInt64) {
            self.name = name
            self.sha256 = sha256
            self.size = size
        }
    }

    public static let currentFormat = "vigil-dossier/1"

    public var format: String
    /// The petition's slug.
    public var petition: String
    /// Milliseconds since 1970 (UTC).
    public var createdAt: Int64
    public var files: [File]
    /// Standard base64 of the log's Ed25519 public key.
    public var publicKey: String
    /// Standard base64 of the Ed25519 signature over ``signedBytes``.
    public var signature: String

    enum CodingKeys: String, CodingKey {
        case format, petition, createdAt = "created_at", files, publicKey = "public_key", signature
    }

    public init(petition: String, createdAt: Int64, files: [File], publicKey: TallyLogPublicKey) {
        format = Self.currentFormat
        self.petition = petition
        self.createdAt = createdAt
        self.files = files
        self.publicKey = publicKey.base64
        signature = ""
    }

    /// What the signature covers, one line each, ending in a line feed:
    /// `vigil-dossier/1`, the petition, the creation time, the public key, then
    /// `<sha256> <size> <name>` for every file in the manifest's order.
    public var signedBytes: [UInt8] {
        var text = "\(format)\n\(petition)\n\(createdAt)\n\(publicKey)\n"
        for file in files {
            text += "\(file.sha256) \(file.size) \(file.name)\n"
        }
        return Array(text.utf8)
    }

    /// Signs the manifest with the log key.
    public mutating func sign(with key: TallyLogKey) throws(TallyLogKey.Problem) {
        signature = Data(try key.signature(for: signedBytes)).base64EncodedString()
    }

    /// Whether the signature is valid for the public key the manifest names.
    public var isSigned: Bool {
        guard let key = TallyLogPublicKey(base64: publicKey), let bytes = Data(base64Encoded: signature) else { return false }
        return key.isValidSignature(Array(bytes), for: signedBytes)
    }
}
