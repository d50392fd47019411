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
/// petition's content version, so edited petitions are read again on their next request. It
/// also reads the "under attack" switch, so a switch thrown on one server reaches the others,
/// and the committees, so one created on another server is credited here too.
final class ContentWatcher: Service, Sendable {
    private let store: Store
    private let directory: PetitionDirectory
    private let committees: CommitteeDirectory
    private let interval: Duration
    private let logger: Logger
    private let loaded: Locked<(version: Int64, registry: RegistryDirectory)>
    private let underAttackState: Locked<UnderAttackState>

    /// The switch as this server knows it, and how often it was thrown here.
    private struct UnderAttackState {
        var isOn: Bool
        /// Counts switches thrown on this server, so a look that read the database before one
        /// of them does not put the older value back.
        var switchedHere = 0
    }

    /// The public registry as last loaded.
    var registry: RegistryDirectory { loaded.withLock { $0.registry } }

    /// The version of the registry as last loaded; it grows with every change.
    var registryVersion: Int64 { loaded.withLock { $0.version } }

    /// Whether the sign form asks for a proof of work, as last read.
    var underAttack: Bool { underAttackState.withLock { $0.isOn } }

    init(
        store: Store, directory: PetitionDirectory, committees: CommitteeDirectory, registry: RegistryDirectory, version: Int64,
        underAttack: Bool, interval: Duration, logger: Logger
    ) {
        self.store = store
        self.directory = directory
        self.committees = committees
        self.interval = interval
        self.logger = logger
        loaded = Locked((version, registry))
        underAttackState = Locked(UnderAttackState(isOn: underAttack))
    }

    /// Takes a switch this process has just written, without waiting for the next look.
    func use(underAttack: Bool) {
        underAttackState.withLock { state in
            state.isOn = underAttack
            state.switchedHere += 1
        }
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
            try await committees.reload()
            let switchedBefore = underAttackState.withLock { $0.switchedHere }
            let underAttack = try await store.underAttack()
            let was = underAttackState.withLock { state -> Bool? in
                guard state.switchedHere == switchedBefore else { return nil }
                defer { state.isOn = underAttack }
                return state.isOn
            }
            if let was, was != underAttack {
                logger.notice("the sign form's proof of work was switched \(underAttack ? "on" : "off") in the database")
            }
            let version = try await store.registryVersion()
            guard version != loaded.withLock({ $0.version }) else { return }
            let registry = try await RegistryDirectory.load(store: store)
            loaded.withLock { $0 = (version, registry) }
            directory.use(registry)
            logger.notice("the registry changed in the database; \(registry.detainees.count) public record(s) loaded")
        } catch is CancellationError {
            // The server is stopping: nothing failed.
        } catch {
            // The pages keep what they have; the next round tries again.
            logger.error("reading changed content failed: \(error)")
        }
    }
}
