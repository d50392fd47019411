import Crypto
import Foundation
import Logging
import VigilCore
import VigilStore

/// What the controllers share: the store, the page machinery and the request-level guards.
struct VigilServices: Sendable {
    let store: Store
    let directory: PetitionDirectory
    /// The public registry of the people the campaign is about.
    let registry: RegistryDirectory
    let renderer: PageRenderer
    let pageCache: PageCache
    let timelines: TimelineCache
    let csrf: CSRFProtection
    let signingLimiter: RateLimiter
    /// Keys the hash of client addresses kept with held signatures, so the address itself is never stored.
    let clientHashKey: SymmetricKey
    /// Signs the tally logs' tree heads; pages and the API show its public half.
    let logKey: TallyLogKey
    let authentication: StaffAuthentication
    let passwordPolicy: PasswordPolicy
    let configuration: VigilConfiguration
    /// Where files that live only while a request uses them are written (`DataFolder.scratchFolder`).
    let scratchFolder: URL
    /// The clock, for what is computed at request time (such as days in custody).
    let now: @Sendable () -> Date
    let logger: Logger

    /// A keyed hash of a client address, short enough to store and compare.
    func clientHash(_ address: ClientAddress) -> String? {
        guard let text = address.text else { return nil }
        return String(HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: clientHashKey).hexString.prefix(32))
    }
}
