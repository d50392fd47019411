import Crypto
import Foundation

/// An HMAC-SHA256 key made ready once: the padded key is hashed into the starting state when
/// the key is made, and each code copies that state. Signing computes five codes a request,
/// and setting the key up for each was about 1.5 % of the server's time.
public struct MACKey: Sendable {
    private let keyed: HMAC<SHA256>

    public init(_ key: SymmetricKey) {
        keyed = HMAC<SHA256>(key: key)
    }

    /// The code of a text's UTF-8 bytes.
    public func code(for text: String) -> HashedAuthenticationCode<SHA256> {
        var hmac = keyed
        hmac.update(data: Data(text.utf8))
        return hmac.finalize()
    }

    /// The code of a text, as 64 lowercase hexadecimal digits.
    public func hexCode(for text: String) -> String {
        code(for: text).withUnsafeBytes { Array($0) }.hexString
    }

    /// Whether `submitted` is the code of `text`, compared in constant time.
    public func isValid(_ submitted: [UInt8], for text: String) -> Bool {
        code(for: text) == submitted
    }
}
