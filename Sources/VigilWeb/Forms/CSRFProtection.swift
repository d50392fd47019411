import Crypto
import Foundation
import VigilCore

/// Cross-site request forgery protection by double submit: the browser holds a random secret
/// in an HttpOnly cookie, and each form carries an HMAC of that secret. A page on another site
/// can make the browser send the cookie, but cannot read it, so it cannot produce the token.
struct CSRFProtection: Sendable {
    static let cookieName = "vigil_csrf"
    static let fieldName = "csrf"

    private let key: SymmetricKey
    private let random: any RandomSource

    init(key: SymmetricKey, random: any RandomSource) {
        self.key = key
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

    /// The token forms carry for a browser secret.
    func token(for secret: String) -> String {
        Base64URL.encode(HMAC<SHA256>.authenticationCode(for: Data(secret.utf8), using: key))
    }

    /// Whether a submitted token belongs to the browser's secret, compared in constant time.
    func verify(token: String?, secret: String?) -> Bool {
        guard let token, let secret, isWellFormed(secret: secret),
              let submitted = Base64URL.decode(token)
        else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(submitted, authenticating: Data(secret.utf8), using: key)
    }
}
