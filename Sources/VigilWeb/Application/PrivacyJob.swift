import Foundation
import Logging
import ServiceLifecycle
import VigilStore

/// Applies the retention rule once at start and then every day: personal data of signatures on
/// petitions closed or delivered long enough ago is erased, old client-address hashes dropped,
/// and sent or failed e-mail deleted with its sealed address.
struct PrivacyJob: Service {
    let store: Store
    let retentionDays: Int
    let clientHashDays: Int
    let mailHistoryDays: Int
    let interval: Duration
    let logger: Logger

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let report = try await store.purgePersonalData(days: retentionDays, clientHashDays: clientHashDays, actor: "daily privacy run")
                if report != PurgeReport() {
                    logger.notice(
                        "privacy run: erased \(report.erasedSignatures) signatures' personal data and \(report.erasedPaperBatches) paper batches' sheets and scans, dropped \(report.forgottenClientHashes) client hashes"
                    )
                }
                // Signing-limit windows hold keyed hashes of client addresses: none outlives its hour.
                try await store.forgetEndedRateWindows()
                let forgotten = try await store.forgetFinishedMail(olderThanDays: mailHistoryDays)
                if forgotten > 0 {
                    logger.notice("privacy run: deleted \(forgotten) sent or failed e-mails older than \(mailHistoryDays) days")
                }
            } catch {
                logger.error("privacy run failed: \(error)")
            }
            try? await gracefulShutdown(sleeping: interval)
        }
    }

    /// Sleeps, but wakes at once when the server shuts down.
    private func gracefulShutdown(sleeping duration: Duration) async throws {
        try await cancelWhenGracefulShutdown {
            try await Task.sleep(for: duration)
        }
    }
}
