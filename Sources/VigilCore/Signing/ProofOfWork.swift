import Crypto
import Foundation

/// A proof-of-work challenge for the sign form while the site is under attack: the browser
/// must find a counter such that SHA-256(challenge ":" counter) starts with a number of zero
/// bits. A person's phone does this in about a second; a bot sending thousands of signatures
/// must pay that second for each one.
///
/// A challenge is `"<bits>.<seconds>.<nonce>.<mac>"`: the difficulty, when it was issued, 16
/// random bytes, and an HMAC of the three under the instance's key. The server keeps nothing
/// when it issues one, and checks a solution from the challenge alone — except that a solved
/// challenge counts once, so the challenges already used are remembered until they expire.
/// That memory is this process's only: servers sharing a database each keep their own, so a
/// solution could be used once per process. The cost of an attack still grows with every
/// signature, which is what the check is for.
public final class ProofOfWork: Sendable {
    /// What a submitted answer turned out to be.
    public enum Verdict: Sendable, Equatable {
        /// Issued here, fresh, hard enough, solved, and not used before. It is now used.
        case valid
        /// No challenge or no counter came back: the browser ran no script, or a bot skipped it.
        case missing
        /// Not in the shape of a challenge and a counter.
        case malformed
        /// Not issued with this instance's key, or altered.
        case forged
        /// Older than the challenge lifetime, or issued in the future.
        case expired
        /// Issued at a lower difficulty than is now required.
        case tooEasy
        /// The hash does not start with enough zero bits.
        case wrongAnswer
        /// Already used for a signature.
        case reused
    }

    /// Zero bits the hash must start with.
    public let bits: Int
    /// How long a challenge may be answered after it was issued.
    public let lifetime: Duration
    private let key: SymmetricKey
    private let random: any RandomSource
    /// Used challenges and when each expires, and the size at which expired ones are next
    /// swept out: doubling it after each sweep keeps the sweeps' cost in proportion to the inserts.
    private let spent = Locked<(expiries: [String: Date], sweepAt: Int)>(([:], 1024))

    /// Difficulties a challenge may ask for: beyond 32 bits a phone would need hours.
    public static let allowedBits = 1...32

    public init(key: SymmetricKey, bits: Int, lifetime: Duration = .seconds(20 * 60), random: any RandomSource) {
        self.key = key
        self.bits = min(max(bits, Self.allowedBits.lowerBound), Self.allowedBits.upperBound)
        self.lifetime = lifetime
        self.random = random
    }

    /// A new challenge issued at `time`.
    public func challenge(at time: Date) -> String {
        let body = "\(bits).\(Int64(time.timeIntervalSince1970)).\(Base64URL.encode(random.bytes(16)))"
        return body + "." + Base64URL.encode(HMAC<SHA256>.authenticationCode(for: Data(body.utf8), using: key))
    }

    /// Checks an answer and, when it is valid, marks the challenge used.
    public func verify(challenge: String, counter: String, now: Date) -> Verdict {
        guard !challenge.isEmpty, !counter.isEmpty else { return .missing }
        let parts = challenge.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, let issuedBits = Int(parts[0]), Self.allowedBits.contains(issuedBits),
              let seconds = Int64(parts[1]), let mac = Base64URL.decode(parts[3]),
              counter.count <= 20, counter.allSatisfy(\.isASCII), UInt64(counter) != nil
        else { return .malformed }
        let body = parts[0...2].joined(separator: ".")
        guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: Data(body.utf8), using: key) else { return .forged }
        let issued = Date(timeIntervalSince1970: Double(seconds))
        let age = now.timeIntervalSince(issued)
        // A minute of grace for clocks of servers that share a database.
        guard age >= -60, age <= Double(lifetime.components.seconds) else { return .expired }
        guard issuedBits >= bits else { return .tooEasy }
        guard Self.leadingZeroBits(of: challenge, counter: counter) >= issuedBits else { return .wrongAnswer }
        let expires = issued.addingTimeInterval(Double(lifetime.components.seconds))
        return spent.withLock { spent in
            if spent.expiries[challenge] != nil { return .reused }
            if spent.expiries.count >= spent.sweepAt {
                spent.expiries = spent.expiries.filter { $0.value >= now }
                spent.sweepAt = max(1024, spent.expiries.count * 2)
            }
            spent.expiries[challenge] = expires
            return .valid
        }
    }

    /// How many zero bits SHA-256(challenge ":" counter) starts with.
    public static func leadingZeroBits(of challenge: String, counter: String) -> Int {
        var bits = 0
        for byte in SHA256.hash(data: Data("\(challenge):\(counter)".utf8)) {
            guard byte == 0 else { return bits + byte.leadingZeroBitCount }
            bits += 8
        }
        return bits
    }
}
