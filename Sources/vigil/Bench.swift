import ArgumentParser
import Foundation
import VigilCore
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

        @Option(help: "Create this many made-up committees and credit two in five signatures to them, in turn.")
        var committees = 0

        @Option(help: "A YAML settings file, read after the environment variables.")
        var config: String?

        func validate() throws {
            guard signatures >= 1 else { throw ValidationError("--signatures must be at least 1.") }
            guard days >= 1 else { throw ValidationError("--days must be at least 1.") }
            guard committees >= 0 else { throw ValidationError("--committees cannot be negative.") }
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
                let committeeIDs = try await Self.makeCommittees(committees, petitionSlug: petition, store: opened.store)
                report = try await opened.store.seedConfirmedSignatures(signatures, petitionSlug: petition, over: days, committees: committeeIDs) {
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
            if committees > 0 { print("Created \(committees) made-up committees, shown in the petition's league.") }
            print("""
                Added \(report.added) made-up confirmed signatures to \(petition) in \(String(format: "%.1f", seconds)) s \
                (\(Int(Double(report.added) / max(seconds, 0.001))) a second).
                The petition now counts \(report.confirmed); its tally log has \(report.logSize) entries.
                """)
        }

        /// Made-up committees in the cities of made-up signers, each in the league.
        static func makeCommittees(_ count: Int, petitionSlug: String, store: Store) async throws -> [Int64] {
            guard count > 0 else { return [] }
            guard let petition = try await store.petition(slug: petitionSlug) else { throw StoreError.notFound(petitionSlug) }
            let signers = SyntheticSigners()
            var ids: [Int64] = []
            for number in 0..<count {
                let (form, language) = signers.signer(number)
                let details = try CommitteeDetails.checked(
                    name: "Committee \(number + 1)", city: form.city.isEmpty ? "City \(number + 1)" : form.city, country: form.country,
                    contact: "", languages: [language.rawValue], goal: "", shownInLeague: true
                )
                let committee = try await store.createCommittee(
                    petitionID: petition.id, code: nil, details: details,
                    audit: AuditRecord(staffID: nil, actor: "vigil bench seed", action: "")
                )
                ids.append(committee.id)
            }
            return ids
        }
    }
}
