import Foundation

/// A statement of a log's size and root at a moment, before it is signed.
public struct TreeHead: Sendable, Equatable {
    /// The log's name: the petition's slug.
    public var log: String
    public var size: UInt64
    public var root: MerkleHash
    /// Milliseconds since 1970 (UTC).
    public var timestamp: Int64

    public init(log: String, size: UInt64, root: MerkleHash, timestamp: Int64) {
        self.log = log
        self.size = size
        self.root = root
        self.timestamp = timestamp
    }

    /// The exact bytes that are signed: five lines, each ending in a line feed,
    ///
    ///     vigil-tree-head/1
    ///     <log>
    ///     <size in decimal>
    ///     <root in lower-case hex>
    ///     <timestamp in decimal milliseconds>
    ///
    /// Text rather than a binary layout so that anyone can rebuild it by hand before checking
    /// the Ed25519 signature.
    public var signedBytes: [UInt8] {
        Array("vigil-tree-head/1\n\(log)\n\(size)\n\(root.hex)\n\(timestamp)\n".utf8)
    }
}

/// A tree head with the log key's Ed25519 signature over ``TreeHead/signedBytes``.
///
/// Its JSON form (the API's `tree-head.json`, the dossier's `sth.json`) is
/// `{"log", "tree_size", "root_hash" (hex), "timestamp" (ms), "signature" (base64), "key_id" (hex)}`.
public struct SignedTreeHead: Sendable, Equatable, Codable {
    public var head: TreeHead
    /// The 64-byte Ed25519 signature.
    public var signature: [UInt8]
    /// ``TallyLogPublicKey/keyID`` of the key that signed.
    public var keyID: String

    public init(head: TreeHead, signature: [UInt8], keyID: String) {
        self.head = head
        self.signature = signature
        self.keyID = keyID
    }

    /// Whether the signature is the given key's over this head.
    public func isSigned(by key: TallyLogPublicKey) -> Bool {
        key.isValidSignature(signature, for: head.signedBytes)
    }

    enum CodingKeys: String, CodingKey {
        case log, treeSize = "tree_size", rootHash = "root_hash", timestamp, signature, keyID = "key_id"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let rootText = try container.decode(String.self, forKey: .rootHash)
        guard let root = MerkleHash(hex: rootText) else {
            throw DecodingError.dataCorruptedError(forKey: .rootHash, in: container, debugDescription: "not a 64-digit hex hash")
        }
        let signatureText = try container.decode(String.self, forKey: .signature)
        guard let signature = Data(base64Encoded: signatureText) else {
            throw DecodingError.dataCorruptedError(forKey: .signature, in: container, debugDescription: "not base64")
        }
        let log = try container.decode(String.self, forKey: .log)
        guard !log.isEmpty, !log.contains("\n") else {
            throw DecodingError.dataCorruptedError(forKey: .log, in: container, debugDescription: "not a log name")
        }
        head = TreeHead(
            log: log,
            size: try container.decode(UInt64.self, forKey: .treeSize),
            root: root,
            timestamp: try container.decode(Int64.self, forKey: .timestamp)
        )
        self.signature = Array(signature)
        keyID = try container.decode(String.self, forKey: .keyID)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(head.log, forKey: .log)
        try container.encode(head.size, forKey: .treeSize)
        try container.encode(head.root.hex, forKey: .rootHash)
        try container.encode(head.timestamp, forKey: .timestamp)
        try container.encode(Data(signature).base64EncodedString(), forKey: .signature)
        try container.encode(keyID, forKey: .keyID)
    }
}
