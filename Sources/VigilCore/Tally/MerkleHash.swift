import Crypto

/// A SHA-256 hash in the tally log's Merkle tree: of a leaf, of an inner node or of a whole tree.
public struct MerkleHash: Sendable, Hashable, CustomStringConvertible {
    /// The 32 bytes of the hash.
    public let bytes: [UInt8]

    /// The number of bytes in a hash.
    public static let byteCount = 32

    /// A hash from its bytes, or `nil` when there are not exactly 32.
    public init?(bytes: [UInt8]) {
        guard bytes.count == Self.byteCount else { return nil }
        self.bytes = bytes
    }

    /// A hash from lower- or upper-case hexadecimal, or `nil` for anything else.
    public init?(hex: some StringProtocol) {
        guard let bytes = [UInt8](hexadecimal: hex) else { return nil }
        self.init(bytes: bytes)
    }

    init(digest: SHA256.Digest) {
        bytes = Array(digest)
    }

    /// Lower-case hexadecimal, 64 digits.
    public var hex: String { bytes.hexString }

    public var description: String { hex }
}

extension [UInt8] {
    /// Bytes from hexadecimal text of even length, or `nil` if any character is not a hex digit.
    public init?(hexadecimal text: some StringProtocol) {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = Self.nibble(utf8[index]), let low = Self.nibble(utf8[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        self = bytes
    }

    private static func nibble(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
