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

/// One line on standard error, rewritten as a build goes on.
final class TerminalProgress: @unchecked Sendable {
    private var lastStep = ""
    private var lastShown = Date.distantPast

    func show(_ progress: DossierProgress) {
        let now = Date()
        // At most a few updates a second, and always the last of each step.
        guard progress.step != lastStep || progress.done == progress.total || now.timeIntervalSince(lastShown) > 0.2 else { return }
        if progress.step != lastStep, !lastStep.isEmpty { FileHandle.standardError.write(Data("\n".utf8)) }
        lastStep = progress.step
        lastShown = now
        let percent = progress.total == 0 ? 100 : Int(progress.done * 100 / progress.total)
        FileHandle.standardError.write(Data("\r\(progress.step): \(progress.done)/\(progress.total) (\(percent)%)   ".utf8))
    }

    func finish() {
        FileHandle.standardError.write(Data("\n".utf8))
    }
}
