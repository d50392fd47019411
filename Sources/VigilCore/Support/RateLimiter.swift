
/// A token bucket per key (for example per client address): a burst of `capacity` actions,
/// refilled evenly over `period`.
///
/// The clock is passed in so tests can move time. Buckets that have refilled completely are
/// forgotten when the table grows, so memory stays bounded under a flood of new addresses.
public final class RateLimiter: Sendable {
    public let capacity: Int
    public let period: Duration
    private let now: @Sendable () -> ContinuousClock.Instant
    private let buckets = Locked<[String: Bucket]>([:])
    private let maximumKeys: Int

    struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    /// - Parameters:
    ///   - capacity: actions allowed at once; `0` turns the limit off.
    ///   - period: time for an empty bucket to refill completely.
    public init(
        capacity: Int,
        period: Duration,
        maximumKeys: Int = 100_000,
        now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
    ) {
        self.capacity = capacity
        self.period = period
        self.maximumKeys = maximumKeys
        self.now = now
    }

    /// Whether the limit is switched off.
    public var isDisabled: Bool { capacity <= 0 }

    /// Takes one token for `key` and says whether the action is within the limit.
    public func allow(_ key: String) -> Bool {
        guard !isDisabled else { return true }
        let instant = now()
        let capacity = Double(self.capacity)
        let refillPerSecond = capacity / period.seconds
        return buckets.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: capacity, updated: instant)
            let elapsed = (instant - bucket.updated).seconds
            bucket.tokens = min(capacity, bucket.tokens + elapsed * refillPerSecond)
            bucket.updated = instant
            let allowed = bucket.tokens >= 1
            if allowed { bucket.tokens -= 1 }
            buckets[key] = bucket
            if buckets.count > maximumKeys {
                buckets = buckets.filter { _, bucket in
                    bucket.tokens + (instant - bucket.updated).seconds * refillPerSecond < capacity
                }
            }
            return allowed
        }
    }
}

extension Duration {
    /// The duration in seconds as a floating-point number.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
