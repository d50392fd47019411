import ArgumentParser
import Foundation
import VigilStore
import VigilWeb

/// `vigil bench`: tools for measuring Vigil (bench/run, docs/benchmarks.md).
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Tools for benchmarks.",
        subcommands: [Seed.self]
    )

    /// `vigil bench seed --signatures N`: a database the size of a large campaign.
    struct Seed: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add made-up confirmed signatures to a petition, for benchmarks at scale.",
            discussion: """
                Each signature is written as a confirmed one is, with its sealed personal data, signer
                number, tally log entry and counters; no e-mail is queued. Names, countries, cities and
                languages are made up in a campaign's proportions, and every address is under the
                reserved .example domain, which receives no mail. Never run this on a real campaign's
                data folder: its tally log would then count people who did not sign. Refuses to run
                while a server uses the data folder.
                """
        )

        @Option(help: "How many signatures to add (at least 1).")
        var signatures: Int

        @Option(help: "The petition's slug, as in its page's address.")
        var petition = "osce-moscow-mechanism"

        @Option(help: "Spread the confirmation times over this many days before now.")
        var days = 60

        @Option(help: "A YAML settings file, read after the environment variables.")
        var config: String?

        func validate() throws {
            guard signatures >= 1 else { throw ValidationError("--signatures must be at least 1.") }
            guard days >= 1 else { throw ValidationError("--days must be at least 1.") }
        }

        func run() async throws {
            let settings = try await Settings.load(file: config)
            let lock = try VigilServer.lockDataFolder(configuration: settings)
            let logger = Settings.logger(level: .warning)
            let opened = try await VigilServer.openStore(configuration: settings, logger: logger)
            let started = Date()
            let report: SeedReport
            do {
                try await VigilServer.loadCampaignOnFirstStart(store: opened.store, configuration: settings, logger: logger)
                let progress = TerminalProgress()
                let total = UInt64(signatures)
                report = try await opened.store.seedConfirmedSignatures(signatures, petitionSlug: petition, over: days) {
                    progress.show(step: "signatures", done: UInt64($0), total: total)
                }
                progress.finish()
            } catch let error as StoreError {
                await opened.store.close()
                throw Settings.failure(error.description)
            } catch {
                await opened.store.close()
                throw error
            }
            await opened.store.close()
            withExtendedLifetime(lock) {}
            let seconds = Date().timeIntervalSince(started)
            print("""
                Added \(report.added) made-up confirmed signatures to \(petition) in \(String(format: "%.1f", seconds)) s \
                (\(Int(Double(report.added) / max(seconds, 0.001))) a second).
                The petition now counts \(report.confirmed); its tally log has \(report.logSize) entries.
                """)
        }
    }
}
