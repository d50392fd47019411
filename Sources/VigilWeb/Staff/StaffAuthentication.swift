import Crypto
import ExtrasBase64
import Foundation
import HummingbirdBcrypt
import HummingbirdOTP
import NIOPosix
import VigilCore
import VigilStore

/// Signing staff in: passwords (bcrypt), the second factor (TOTP, RFC 6238), recovery codes,
/// sessions and the throttling of failed attempts.
struct StaffAuthentication: Sendable {
    static let sessionCookie = "vigil_staff"
    /// Number of recovery codes issued at enrolment.
    static let recoveryCodeCount = 10

    let store: Store
    let settings: StaffSignInSettings
    let passwordPolicy: PasswordPolicy
    let random: any RandomSource
    let now: @Sendable () -> Date

    // MARK: Passwords

    /// The bcrypt hash of a password, computed off the event loops: it takes a quarter of a second by design.
    func hashPassword(_ password: String) async throws -> String {
        let cost = settings.bcryptCost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    func verifyPassword(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    /// A hash to check against when the address is unknown, so the answer takes as long as for
    /// a known one and does not tell which addresses have accounts.
    static let decoyHash = Bcrypt.hash("decoy password that never matches", cost: 12)

    // MARK: Second factor

    /// A new TOTP secret: 20 random letters and digits (about 119 bits), the length authenticator apps expect.
    func newTOTPSecret() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        return String(random.bytes(20).map { alphabet[Int($0) % alphabet.count] })
    }

    /// The secret as people type it into an authenticator app: base32, in groups of four.
    static func typedForm(of secret: String) -> String {
        let base32 = String(base32Encoding: Array(secret.utf8), options: .omitPaddingCharacter)
        return stride(from: 0, to: base32.count, by: 4).map { start in
            let from = base32.index(base32.startIndex, offsetBy: start)
            let to = base32.index(from, offsetBy: 4, limitedBy: base32.endIndex) ?? base32.endIndex
            return String(base32[from..<to])
        }.joined(separator: " ")
    }

    func authenticatorURL(secret: String, email: String) -> String {
        TOTP(secret: secret).createAuthenticatorURL(label: "\(settings.issuer):\(email)", issuer: settings.issuer)
    }

    /// The time step a typed code matches, allowing one step either side for clock drift.
    func matchingStep(code: String, secret: String) -> Int64? {
        let digits = code.filter(\.isNumber)
        guard digits.count == 6, let value = Int(digits) else { return nil }
        let totp = TOTP(secret: secret)
        let step = Int64(now().timeIntervalSince1970 / 30)
        for candidate in [step, step - 1, step + 1] where totp.compute(date: Date(timeIntervalSince1970: Double(candidate) * 30)) == value {
            return candidate
        }
        return nil
    }

    /// New recovery codes: the texts to show once, and the hashes to store.
    func newRecoveryCodes() -> [RecoveryCode] {
        (0..<Self.recoveryCodeCount).map { _ in RecoveryCode(random: random) }
    }

    // MARK: Tokens

    /// A new random secret for a cookie or a link, and the hash the database keeps.
    func newToken() -> (text: String, hash: String) {
        let text = Base64URL.encode(random.bytes(32))
        return (text, Self.hash(token: text))
    }

    static func hash(token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).hexString
    }

    // MARK: Throttling

    /// The throttle keys a sign-in attempt is counted under: the account (by id when it exists,
    /// so admins can see which one is locked; by a hash of the typed address otherwise) and the
    /// client's address hash.
    static func throttleKeys(email: String, staffID: Int64?, clientHash: String?) -> [String] {
        let account = staffID.map { "staff:\($0)" }
            ?? "unknown:" + String(SHA256.hash(data: Data(email.lowercased().utf8)).hexString.prefix(32))
        return [account] + (clientHash.map { ["client:" + $0] } ?? [])
    }

    /// Whether any of the keys is locked now.
    func isLocked(_ keys: [String]) async throws -> Bool {
        for key in keys {
            if let lockedUntil = try await store.loginThrottle(key: key)?.lockedUntil, lockedUntil > now() {
                return true
            }
        }
        return false
    }

    /// Counts a failure against every key and waits a little longer the more failures there
    /// were, so guessing is slow before it is stopped.
    func recordFailure(_ keys: [String]) async throws {
        var worst = 0
        for (index, key) in keys.enumerated() {
            let rule = index == 0 ? settings.accountRule : settings.clientRule
            worst = max(worst, try await store.recordLoginFailure(key: key, rule: rule).failures)
        }
        let delay = min(settings.delayPerFailure * worst, settings.longestDelay)
        try? await Task.sleep(for: delay)
    }
}

/// How staff sign-in behaves. Tests keep bcrypt cheap and delays short with it.
public struct StaffSignInSettings: Sendable {
    /// bcrypt's cost; 12 or more in production.
    public var bcryptCost: UInt8 = 12
    /// A session unused this long ends.
    public var idleTimeout: Duration = .seconds(30 * 60)
    /// A session ends this long after sign-in, however busy.
    public var absoluteTimeout: Duration = .seconds(12 * 3600)
    /// A half-finished sign-in (password given, second factor not yet) ends this soon.
    public var partialTimeout: Duration = .seconds(10 * 60)
    /// How long a setup link works.
    public var setupLinkLifetime: Duration = .seconds(24 * 3600)
    /// Failed attempts per account before it locks, and for how long.
    public var accountRule = LoginThrottleRule(window: .seconds(15 * 60), failuresBeforeLock: 5, lockDuration: .seconds(15 * 60))
    /// Failed attempts per client address before it locks: more, since several staff may share an office.
    public var clientRule = LoginThrottleRule(window: .seconds(15 * 60), failuresBeforeLock: 20, lockDuration: .seconds(15 * 60))
    /// Each recent failure adds this much delay to the next answer, up to `longestDelay`.
    public var delayPerFailure: Duration = .milliseconds(250)
    public var longestDelay: Duration = .seconds(2)
    /// The name shown in authenticator apps.
    public var issuer = "Vigil"

    public init() {}
}
