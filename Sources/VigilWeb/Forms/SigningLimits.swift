import VigilCore
import VigilStore

/// The signing rate limits, per client address and per network, each as a burst per minute and
/// a sustained rate per hour. One server on SQLite counts them in memory; servers sharing a
/// PostgreSQL database count them in it, so a client cannot multiply its allowance by the
/// number of servers behind the load balancer.
enum SigningLimits: Sendable {
    case inMemory(address: [RateLimiter], range: [RateLimiter])
    case shared(Store, address: [Limit], range: [Limit], hash: @Sendable (String) -> String)

    /// A limit: `capacity` signatures per `seconds`; a capacity of 0 is off.
    struct Limit: Sendable {
        let capacity: Int
        let seconds: Int64
    }

    init(configuration: VigilConfiguration, store: Store, hash: @escaping @Sendable (String) -> String) {
        let off = configuration.signRateLimit == 0
        let address = [
            Limit(capacity: off ? 0 : configuration.signRateLimit, seconds: 60),
            Limit(capacity: off ? 0 : configuration.signRateLimitHourly, seconds: 3600),
        ]
        let range = [
            Limit(capacity: off ? 0 : configuration.rangeRateLimit, seconds: 60),
            Limit(capacity: off ? 0 : configuration.rangeRateLimitHourly, seconds: 3600),
        ]
        switch store.engine {
        case .sqlite:
            func limiters(_ limits: [Limit]) -> [RateLimiter] {
                limits.map { RateLimiter(capacity: $0.capacity, period: .seconds($0.seconds)) }
            }
            self = .inMemory(address: limiters(address), range: limiters(range))
        case .postgres:
            self = .shared(store, address: address, range: range, hash: hash)
        }
    }

    /// Counts one signature from `address` (its limit key) in network `range`, and says whether
    /// each is still within its limits.
    func allow(address: String, range: String?) async throws -> (address: Bool, range: Bool) {
        switch self {
        case .inMemory(let addressLimits, let rangeLimits):
            let addressAllowed = addressLimits.map { $0.allow(address) }.allSatisfy { $0 }
            let rangeAllowed = range.map { range in rangeLimits.map { $0.allow(range) }.allSatisfy { $0 } } ?? true
            return (addressAllowed, rangeAllowed)
        case .shared(let store, let addressLimits, let rangeLimits, let hash):
            let addressWindows = addressLimits.filter { $0.capacity > 0 }.map {
                RateWindow(key: "address:" + hash(address), capacity: $0.capacity, seconds: $0.seconds)
            }
            let rangeWindows = range.map { range in
                rangeLimits.filter { $0.capacity > 0 }.map {
                    RateWindow(key: "network:" + hash(range), capacity: $0.capacity, seconds: $0.seconds)
                }
            } ?? []
            let allowed = try await store.countInSharedWindows(addressWindows + rangeWindows)
            return (
                allowed.prefix(addressWindows.count).allSatisfy { $0 },
                allowed.dropFirst(addressWindows.count).allSatisfy { $0 }
            )
        }
    }
}
