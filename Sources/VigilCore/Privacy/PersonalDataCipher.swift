import Crypto
import Foundation

/// Seals signers' personal data for storage and computes the blind index used to find
/// duplicates without keeping addresses in the clear.
///
/// One master key (kept outside the database) is stretched with HKDF into separate keys
/// for encryption, for the blind index and for other purposes, so that no key serves two jobs.
public struct PersonalDataCipher: Sendable {
    private let sealingKey: SymmetricKey
    private let indexKey: MACKey
    private let manageKey: MACKey
    private let domainKey: MACKey
    /// A fingerprint of the master key, stored in the database so a wrong key file is noticed
    /// at start rather than after it has failed to open everything.
    public let keyID: String

    /// Why stored personal data could not be opened.
    public enum Problem: Error, Sendable {
        case cannotOpen
    }

    /// The length of a master key in bytes.
    public static let masterKeyByteCount = 32

    /// Creates the cipher from a 32-byte master key.
    public init(masterKey: [UInt8]) {
        let master = SymmetricKey(data: masterKey)
        sealingKey = Self.derive(from: master, purpose: "vigil/personal-data/aes-gcm")
        indexKey = MACKey(Self.derive(from: master, purpose: "vigil/personal-data/blind-index"))
        manageKey = MACKey(Self.derive(from: master, purpose: "vigil/manage-links"))
        domainKey = MACKey(Self.derive(from: master, purpose: "vigil/personal-data/domain-index"))
        keyID = String(Self.derive(from: master, purpose: "vigil/key-id").withUnsafeBytes { Array($0) }.hexString.prefix(16))
    }

    /// Derives a 256-bit key for another purpose (CSRF tokens, IP hashing …) from the same master key.
    public static func derive(from master: SymmetricKey, purpose: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: master, info: Data(purpose.utf8), outputByteCount: 32)
    }

    /// Encrypts and authenticates a value; the result holds its own nonce.
    public func seal(_ plaintext: [UInt8]) throws -> [UInt8] {
        let box = try AES.GCM.seal(plaintext, using: sealingKey)
        guard let combined = box.combined else { throw Problem.cannotOpen }
        return Array(combined)
    }

    /// Decrypts what ``seal(_:)`` produced, refusing anything altered.
    public func open(_ sealed: [UInt8]) throws(Problem) -> [UInt8] {
        do {
            let box = try AES.GCM.SealedBox(combined: sealed)
            return Array(try AES.GCM.open(box, using: sealingKey))
        } catch {
            throw .cannotOpen
        }
    }

    /// Seals a Codable value as JSON.
    public func seal<Value: Encodable>(json value: Value) throws -> [UInt8] {
        try seal(Array(JSONEncoder().encode(value)))
    }

    /// Encrypts a flat object of strings as JSON, written without `JSONEncoder` (see ``FlatJSONObject``).
    public func seal<Value: FlatJSONObject>(json value: Value) throws -> [UInt8] {
        try seal(value.flatJSON)
    }

    /// Opens a value sealed with ``seal(json:)``.
    public func open<Value: Decodable>(json type: Value.Type, from sealed: [UInt8]) throws -> Value {
        try JSONDecoder().decode(type, from: Data(try open(sealed)))
    }

    /// The secret in a signer's "manage my signature" link. It is computed, not stored, so every
    /// e-mail can carry it; the database keeps only its hash to find the signature.
    public func manageToken(petitionID: Int64, emailIndex: String) -> String {
        Base64URL.encode(manageKey.code(for: "\(petitionID):\(emailIndex)"))
    }

    /// The hash under which a manage token is looked up.
    public static func hash(manageToken token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).hexString
    }

    /// The blind index of a normalised address: an HMAC, so equal addresses give equal
    /// indexes while the address cannot be recovered or guessed without the key.
    public func blindIndex(ofNormalisedEmail normalised: String) -> String {
        indexKey.hexCode(for: normalised)
    }

    /// The blind index of an e-mail domain, so staff can set aside a flood from one domain
    /// without the database keeping anyone's domain in the clear.
    public func domainIndex(of domain: String) -> String {
        domainKey.hexCode(for: domain)
    }
}
