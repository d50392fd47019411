import Foundation
import VigilCore
import VigilStore

/// Decides whether a well-formed signature looks automated and should be held back for staff
/// review. A held signature gets the same answer as any other, so a bot learns nothing, and
/// it neither counts nor gets an e-mail until staff release it.
struct SigningGuard: Sendable {
    /// Per client address (IPv4, or the /64 of IPv6): a burst per minute, a sustained rate per hour.
    let addressLimits: [RateLimiter]
    /// Per network (/24 or /56), burst and sustained.
    let rangeLimits: [RateLimiter]
    let minimumTime: Duration
    let disposableDomains: DisposableDomains

    init(configuration: VigilConfiguration, disposableDomains: DisposableDomains) {
        let off = configuration.signRateLimit == 0
        func limiter(_ capacity: Int, _ seconds: Int64) -> RateLimiter {
            RateLimiter(capacity: off ? 0 : capacity, period: .seconds(seconds))
        }
        addressLimits = [limiter(configuration.signRateLimit, 60), limiter(configuration.signRateLimitHourly, 3600)]
        rangeLimits = [limiter(configuration.rangeRateLimit, 60), limiter(configuration.rangeRateLimitHourly, 3600)]
        minimumTime = .seconds(configuration.signMinimumSeconds)
        self.disposableDomains = disposableDomains
    }

    /// Why this signature should be held, if it should.
    ///
    /// - Parameters:
    ///   - shownAt: when the form was shown (from its token), if known.
    ///   - honeypot: the hidden field only robots fill in.
    ///   - proofOfWork: the check of the form's proof of work while the site is under attack; `nil` when it is not.
    func holdReason(
        client: ClientAddress, email: EmailAddress, shownAt: Date?, now: Date, honeypot: String,
        proofOfWork: ProofOfWork.Verdict? = nil
    ) -> HoldReason? {
        if !honeypot.isEmpty { return .honeypot }
        if let shownAt, minimumTime > .zero, now.timeIntervalSince(shownAt) < Double(minimumTime.components.seconds) {
            return .tooFast
        }
        switch proofOfWork {
        case nil, .valid: break
        case .missing: return .proofOfWorkMissing
        default: return .proofOfWorkInvalid
        }
        if disposableDomains.contains(domain: email.domain) { return .disposableAddress }
        // Every limit takes its token, so a client held by one is still counted by the others.
        let address = addressLimits.map { $0.allow(client.limitKey) }.allSatisfy { $0 }
        let range = client.text.flatMap(NetworkRange.init(limitingAddress:)).map { range in
            rangeLimits.map { $0.allow(range.description) }.allSatisfy { $0 }
        } ?? true
        if !address { return .rateLimited }
        if !range { return .rangeLimited }
        return nil
    }
}
