import Foundation
import VigilCore
import VigilStore

/// Decides whether a well-formed signature looks automated and should be held back for staff
/// review. A held signature gets the same answer as any other, so a bot learns nothing, and
/// it neither counts nor gets an e-mail until staff release it.
struct SigningGuard: Sendable {
    /// Per client address (IPv4, or the /64 of IPv6) and per network (/24 or /56).
    let limits: SigningLimits
    let minimumTime: Duration
    let disposableDomains: DisposableDomains

    init(configuration: VigilConfiguration, limits: SigningLimits, disposableDomains: DisposableDomains) {
        self.limits = limits
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
    ) async throws -> HoldReason? {
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
        let allowed = try await limits.allow(
            address: client.limitKey, range: client.text.flatMap(NetworkRange.init(limitingAddress:))?.description
        )
        if !allowed.address { return .rateLimited }
        if !allowed.range { return .rangeLimited }
        return nil
    }
}
