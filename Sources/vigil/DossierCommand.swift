import ArgumentParser
import Foundation
import VigilWeb

/// `vigil dossier build`: writes a petition's delivery dossier.
struct DossierCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dossier",
        abstract: "Build the delivery dossier of a petition.",
        subcommands: [Build.self]
    )

    struct Build: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a ZIP with the printable dossier, the tally log, the signed tree head and a signed manifest."
        )

        @Option(help: "The petition's slug, as in its page's address.")
        var petition: String

        @Option(help: "The ZIP file to write; it must not exist yet.")
        var out: String

        @Option(help: "A YAML settings file, read after the environment variables.")
        var config: String?

        func run() async throws {
            let settings = try await Settings.load(file: config)
            let opened = try await VigilServer.openStore(configuration: settings, logger: Settings.logger(level: .warning))
            do {
                let builder = try await DossierBuilder(store: opened.store, key: opened.logKey, publicURL: settings.publicURL)
                let progress = TerminalProgress()
                let summary = try await builder.build(slug: petition, to: URL(fileURLWithPath: out)) { progress.show($0) }
                progress.finish()
                print("""
                    Wrote \(out): \(summary.totals.counted) signatures counted in \(summary.treeHead.head.size) log entries, \
                    \(summary.listed) named publicly.
                    Tree head root \(summary.treeHead.head.root.hex), key id \(opened.logKey.publicKey.keyID).
                    Check it with: vigil verify \(out)
                    """)
            } catch {
                await opened.store.close()
                throw error
            }
            await opened.store.close()
        }
    }
}
