import Crypto
import Foundation

/// The Ed25519 key that signs tree heads and dossier manifests. Created on first start and kept
/// beside the master key; only its public half ever leaves the server.
public struct TallyLogKey: Sendable {
    private let key: Curve25519.Signing.PrivateKey

    /// Why a key or a signature could not be made.
    public enum Problem: Error, Sendable, CustomStringConvertible {
        case malformedKey
        case signingFailed(String)

        public var description: String {
            switch self {
            case .malformedKey: "not a 32-byte Ed25519 private key"
            case .signingFailed(let detail): "signing failed: \(detail)"
            }
        }
    }

    /// The number of bytes in a private or public key.
    public static let byteCount = 32

    /// The key from its 32 raw bytes (the seed).
    public init(rawRepresentation: [UInt8]) throws(Problem) {
        guard rawRepresentation.count == Self.byteCount,
              let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: rawRepresentation)
        else { throw .malformedKey }
        self.key = key
    }

    /// A new key from 32 random bytes.
    public static func generate(random: some RandomSource) throws(Problem) -> TallyLogKey {
        try TallyLogKey(rawRepresentation: random.bytes(byteCount))
    }

    /// The 32 raw bytes, for the key file.
    public var rawRepresentation: [UInt8] { Array(key.rawRepresentation) }

    public var publicKey: TallyLogPublicKey {
        TallyLogPublicKey(key: key.publicKey)
    }

    /// An Ed25519 signature over bytes.
    public func signature(for bytes: [UInt8]) throws(Problem) -> [UInt8] {
        do {
            return Array(try key.signature(for: bytes))
        } catch {
            throw .signingFailed("\(error)")
        }
    }

    /// Signs a tree head.
    public func sign(_ head: TreeHead) throws(Problem) -> SignedTreeHead {
        SignedTreeHead(head: head, signature: try signature(for: head.signedBytes), keyID: publicKey.keyID)
    }
}

/// The public half of the log key: what anyone needs to check tree heads and dossiers.
public struct TallyLogPublicKey: Sendable, Equatable {
    fileprivate let key: Curve25519.Signing.PublicKey

    fileprivate init(key: Curve25519.Signing.PublicKey) {
        self.key = key
    }

    /// The key from its 32 raw bytes, or `nil`.
    public init?(rawRepresentation: [UInt8]) {
        guard rawRepresentation.count == TallyLogKey.byteCount,
              let key = try? Curve25519.Signing.PublicKey(rawRepresentation: rawRepresentation)
        else { return nil }
        self.key = key
    }

    /// The key from standard base64 of its raw bytes, or `nil`.
    public init?(base64: String) {
        guard let data = Data(base64Encoded: base64.trimmingCharacters(in: .whitespacesAndNewlines)) else { return nil }
        self.init(rawRepresentation: Array(data))
    }

    public var rawRepresentation: [UInt8] { Array(key.rawRepresentation) }

    /// Standard base64 of the 32 raw bytes.
    public var base64: String { Data(rawRepresentation).base64EncodedString() }

    /// SHA-256 of the raw key in hex: a short name to compare keys by.
    public var keyID: String { SHA256.hash(data: rawRepresentation).hexString }

    public func isValidSignature(_ signature: [UInt8], for bytes: [UInt8]) -> Bool {
        key.isValidSignature(signature, for: bytes)
    }

    public static func == (lhs: TallyLogPublicKey, rhs: TallyLogPublicKey) -> Bool {
        lhs.rawRepresentation == rhs.rawRepresentation
    }
}
