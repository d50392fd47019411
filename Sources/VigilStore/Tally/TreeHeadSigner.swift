import Logging
import ServiceLifecycle
import VigilCore

/// Signs a new tree head for every log that grew, at start and then every `interval`, so that
/// a receipt can be checked against a signed head within minutes of confirming.
public struct TreeHeadSigner: Service {
    private let store: Store
    private let key: TallyLogKey
    private let interval: Duration
    private let logger: Logger

    public init(store: Store, key: TallyLogKey, interval: Duration, logger: Logger) {
        self.store = store
        self.key = key
        self.interval = interval
        self.logger = logger
    }

    /// Signs at once, then after each interval, until graceful shutdown.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.signOnce()
                try? await Task.sleep(for: self.interval)
            }
        }
    }

    private func signOnce() async {
        do {
            try await store.signTreeHeads(key: key)
        } catch where Task.isCancelled {
            // Stopped mid-round: each head is signed in a transaction of its own, so none is half
            // written, and the next start signs every log that grew.
        } catch {
            // A failed round is retried at the next interval; the log itself is untouched.
            logger.error("signing tree heads failed: \(error)")
        }
    }
}
