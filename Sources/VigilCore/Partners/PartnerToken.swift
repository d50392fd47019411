import Crypto
import Foundation

/// The secret a partner site sends with every signature it pushes. Staff see it once, when it
/// is issued; only its hash is stored, so a copy of the database cannot push signatures.
public struct PartnerToken: Sendable, Hashable {
    /// `vigil_partner_` followed by 256 random bits in URL-safe base64: the prefix lets secret
    /// scanners and people recognise what it is.
    public let text: String

    public static let prefix = "vigil_partner_"
    /// Random bytes in a token.
    static let byteCount = 32

    /// A new random token.
    public init(random: any RandomSource) {
        text = Self.prefix + Base64URL.encode(random.bytes(Self.byteCount))
    }

    /// A token read from a request header; `nil` if it cannot be one Vigil issued.
    public init?(header text: some StringProtocol) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix(Self.prefix),
              let bytes = Base64URL.decode(trimmed.dropFirst(Self.prefix.count)), bytes.count == Self.byteCount
        else { return nil }
        self.text = trimmed
    }

    /// The SHA-256 of the token, hex-encoded: what the database stores and looks up.
    public var hash: String { SHA256.hash(data: Data(text.utf8)).hexString }

    /// The last four characters, shown in the console so staff can tell tokens apart.
    public var hint: String { String(text.suffix(4)) }
}
