import Crypto
import Foundation
import VigilCore

/// Cross-site request forgery protection by double submit: the browser holds a random secret
/// in an HttpOnly cookie, and each form carries an HMAC of that secret. A page on another site
/// can make the browser send the cookie, but cannot read it, so it cannot produce the token.
struct CSRFProtection: Sendable {
    static let cookieName = "vigil_csrf"
    static let fieldName = "csrf"

    private let key: MACKey
    private let random: any RandomSource

    init(key: SymmetricKey, random: any RandomSource) {
        self.key = MACKey(key)
        self.random = random
    }

    /// A new browser secret.
    func newSecret() -> String {
        Base64URL.encode(random.bytes(16))
    }

    /// Whether a cookie value has the shape of a secret Vigil issued.
    func isWellFormed(secret: String) -> Bool {
        Base64URL.decode(secret)?.count == 16
    }

    /// The token a form shown at `time` carries for a browser secret: the time in seconds, a
    /// dot, and an HMAC of both, so the server can tell when the form was shown.
    func token(for secret: String, at time: Date) -> String {
        let seconds = Int64(time.timeIntervalSince1970)
        return "\(seconds)." + authenticationCode(for: "\(secret).\(seconds)")
    }

    /// When the form carrying `token` was shown, if the token belongs to the browser's secret
    /// (compared in constant time); `nil` for any other token.
    func issued(token: String?, secret: String?) -> Date? {
        guard let token, let secret, isWellFormed(secret: secret) else { return nil }
        let parts = token.split(separator: ".", maxSplits: 1)
        guard parts.count == 2, let seconds = Int64(parts[0]), let submitted = Base64URL.decode(String(parts[1])),
              key.isValid(submitted, for: "\(secret).\(seconds)")
        else { return nil }
        return Date(timeIntervalSince1970: Double(seconds))
    }

    /// Whether a submitted token belongs to the browser's secret.
    func verify(token: String?, secret: String?) -> Bool {
        issued(token: token, secret: secret) != nil
    }

    /// A keyed code for a text, to bind a value a form carries to what it was issued for.
    func authenticationCode(for text: String) -> String {
        Base64URL.encode(key.code(for: text))
    }
}
