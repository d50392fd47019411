import ArgumentParser
import VigilStore
import VigilWeb

/// `vigil privacy purge`: applies the retention rule now rather than at the daily run.
struct Privacy: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Signers' personal data.",
        subcommands: [Purge.self]
    )

    struct Purge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Erase signers' personal data once their petition has been closed or delivered long enough.",
            discussion: """
                Also drops old client-address hashes and deletes sent or failed e-mail older than the
                mail_history_days setting. The server does this every day by itself; counts, countries
                and the tally stay.
                """
        )

        @Option(help: "Days after a petition is closed or delivered; default: the retention_days setting.")
        var days: Int?

        @Option(help: "A YAML settings file, read after the environment variables.")
        var config: String?

        func validate() throws {
            if let days, days < 0 { throw ValidationError("--days must be 0 or more") }
        }

        func run() async throws {
            let settings = try await Settings.load(file: config)
            let opened = try await VigilServer.openStore(configuration: settings, logger: Settings.logger(level: .warning))
            do {
                let report = try await opened.store.purgePersonalData(
                    days: days ?? settings.retentionDays, clientHashDays: settings.clientHashDays, actor: "command line"
                )
                let mail = try await opened.store.forgetFinishedMail(olderThanDays: settings.mailHistoryDays)
                print(
                    "Erased the personal data of \(report.erasedSignatures) signatures and the sheets and scans of \(report.erasedPaperBatches) paper batches; dropped \(report.forgottenClientHashes) client-address hashes; deleted \(mail) sent or failed e-mails."
                )
            } catch {
                await opened.store.close()
                throw error
            }
            await opened.store.close()
        }
    }
}
