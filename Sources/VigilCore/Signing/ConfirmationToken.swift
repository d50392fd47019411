import Crypto
import Foundation

/// The secret in a confirmation link. Only its hash is stored, so a copy of the database
/// cannot be used to confirm signatures.
public struct ConfirmationToken: Sendable, Hashable {
    /// The token as it appears in the link: 256 random bits in URL-safe base64.
    public let text: String

    /// Number of random bytes in a token: 256 bits, twice the 128 the rules ask for.
    public static let byteCount = 32

    /// A new random token.
    public init(random: any RandomSource) {
        text = Base64URL.encode(random.bytes(Self.byteCount))
    }

    /// A token read back from a link; `nil` if it cannot be one Vigil issued.
    public init?(link text: some StringProtocol) {
        guard let bytes = Base64URL.decode(text), bytes.count == Self.byteCount else { return nil }
        self.text = String(text)
    }

    /// The SHA-256 of the token, hex-encoded: what the database stores and looks up.
    public var hash: String {
        SHA256.hash(data: Data(text.utf8)).hexString
    }
}

extension Sequence where Element == UInt8 {
    /// Lower-case hexadecimal, two digits per byte.
    public var hexString: String {
        // Written as ASCII bytes and made a string once: every signature computes several.
        var digits: [UInt8] = []
        digits.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            digits.append(hexDigits[Int(byte >> 4)])
            digits.append(hexDigits[Int(byte & 0x0f)])
        }
        return String(decoding: digits, as: UTF8.self)
    }
}

private let hexDigits = Array("0123456789abcdef".utf8)

extension SHA256.Digest {
    /// Lower-case hexadecimal of the digest.
    public var hexString: String { Array(self).hexString }
}
