import Crypto
import Foundation

/// The secret in a confirmation link. Only its hash is stored, so a copy of the database
/// cannot be used to confirm signatures.
///
/// A token begins with the millisecond it was issued, and so does its stored hash: the index
/// that finds a signature by its token then grows at its end, and a batch of signatures
/// changes one or two of its pages instead of one random page each (every changed page is
/// written to the log at commit). Tokens issued before that (256 random bits, 43 characters)
/// are still read and looked up by their plain hash.
public struct ConfirmationToken: Sendable, Hashable {
    /// The token as it appears in the link, in URL-safe base64: six bytes of the time it was
    /// issued, then 240 random bits (48 characters).
    public let text: String
    /// The time part of a token, six bytes; empty for a token of the earlier, all-random form.
    private let issuedAt: ArraySlice<UInt8>

    /// Random bytes in a token: 240 bits, well above the 128 the rules ask for.
    static let randomByteCount = 30
    /// Bytes in a token of the earlier form, all random.
    static let earlierByteCount = 32

    /// A new token, issued at `now`.
    public init(random: any RandomSource, issuedAt now: Date) {
        let time = MillisecondStamp.bytes(Int64((now.timeIntervalSince1970 * 1000).rounded()))
        issuedAt = time[...]
        text = Base64URL.encode(time + random.bytes(Self.randomByteCount))
    }

    /// A token read back from a link; `nil` if it cannot be one Vigil issued.
    public init?(link text: some StringProtocol) {
        guard let bytes = Base64URL.decode(text) else { return nil }
        switch bytes.count {
        case MillisecondStamp.byteCount + Self.randomByteCount: issuedAt = bytes.prefix(MillisecondStamp.byteCount)
        case Self.earlierByteCount: issuedAt = []
        default: return nil
        }
        self.text = String(text)
    }

    /// What the database stores and looks up: the time the token was issued in hexadecimal,
    /// then the SHA-256 of the whole token; for a token of the earlier form, the SHA-256 alone.
    public var hash: String {
        issuedAt.hexString + SHA256.hash(data: Data(text.utf8)).hexString
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
