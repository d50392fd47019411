import Foundation
import Logging
import ServiceLifecycle
import VigilCore
import VigilStore

/// Keeps what the server shows in step with the database when something else changes it:
/// `vigil content import` run beside a live server, or another server on the same database.
///
/// Every few seconds it compares the registry's version with the one it loaded, and reads the
/// registry again when they differ; and it takes any newer counters, which also carry each
/// petition's content version, so edited petitions are read again on their next request.
final class ContentWatcher: Service, Sendable {
    private let store: Store
    private let directory: PetitionDirectory
    private let interval: Duration
    private let logger: Logger
    private let loaded: Locked<(version: Int64, registry: RegistryDirectory)>

    /// The public registry as last loaded.
    var registry: RegistryDirectory { loaded.withLock { $0.registry } }

    init(store: Store, directory: PetitionDirectory, registry: RegistryDirectory, version: Int64, interval: Duration, logger: Logger) {
        self.store = store
        self.directory = directory
        self.interval = interval
        self.logger = logger
        loaded = Locked((version, registry))
    }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: self.interval)
                await self.refresh()
            }
        }
    }

    /// Reads whatever changed since the last look.
    func refresh() async {
        do {
            try await store.refreshLiveCounts()
            let version = try await store.registryVersion()
            guard version != loaded.withLock({ $0.version }) else { return }
            let registry = try await RegistryDirectory.load(store: store)
            loaded.withLock { $0 = (version, registry) }
            directory.use(registry)
            logger.notice("the registry changed in the database; \(registry.detainees.count) public record(s) loaded")
        } catch {
            // The pages keep what they have; the next round tries again.
            logger.error("reading changed content failed: \(error)")
        }
    }
}
