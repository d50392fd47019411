import Crypto
import Foundation
import Logging
import VigilCore
import VigilStore

/// What the controllers share: the store, the page machinery and the request-level guards.
struct VigilServices: Sendable {
    let store: Store
    let directory: PetitionDirectory
    /// The local committees, for referral links, the sign form and the league.
    let committees: CommitteeDirectory
    /// Reloads the registry and petitions when the database changes under the server.
    let contentWatcher: ContentWatcher
    let renderer: PageRenderer
    let pageCache: PageCache
    let timelines: TimelineCache
    let csrf: CSRFProtection
    /// Holds back signatures that look automated.
    let signingGuard: SigningGuard
    /// Issues and checks the sign form's challenge while the site is under attack.
    let proofOfWork: ProofOfWork
    /// Keys the hash of client addresses kept with held signatures, so the address itself is never stored.
    let clientHashKey: MACKey
    /// Signs the tally logs' tree heads; pages and the API show its public half.
    let logKey: TallyLogKey
    let authentication: StaffAuthentication
    let passwordPolicy: PasswordPolicy
    let configuration: VigilConfiguration
    /// The Moscow Mechanism tracker's rules, thresholds and past invocations; `nil` when the
    /// campaign's content has no `mechanism/` folder, and then the tracker is not served.
    let mechanism: MechanismContent?
    /// Where files that live only while a request uses them are written (`DataFolder.scratchFolder`).
    let scratchFolder: URL
    /// The clock, for what is computed at request time (such as days in custody).
    let now: @Sendable () -> Date
    let logger: Logger

    /// The public registry of the people the campaign is about, as last loaded.
    var registry: RegistryDirectory { contentWatcher.registry }

    /// A keyed hash of a client address, short enough to store and compare.
    func clientHash(_ address: ClientAddress) -> String? {
        address.text.map(keyedHash)
    }

    /// A keyed hash of the network a client is in (its ``NetworkRange``).
    func networkHash(_ address: ClientAddress) -> String? {
        address.text.flatMap(NetworkRange.init(address:)).map(networkHash)
    }

    /// The keyed hash under which signatures from a network are stored and found.
    func networkHash(_ range: NetworkRange) -> String {
        keyedHash(range.description)
    }

    private func keyedHash(_ text: String) -> String {
        Self.keyedHash(text, key: clientHashKey)
    }

    /// A client address or network made unreadable without the key: the first 128 bits of its HMAC.
    static func keyedHash(_ text: String, key: MACKey) -> String {
        String(key.hexCode(for: text).prefix(32))
    }
}
