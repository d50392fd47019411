import ArgumentParser
import Foundation
import VigilStore
import VigilWeb

/// `vigil content export PATH`: writes the database's content back out as content files.
struct ContentExport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the campaign and the whole registry, restricted facts included, as content files.",
        discussion: """
            The folder must be new or empty. `vigil content import` reads the files back.
            They hold what the public does not see: keep them as private as the database.
            """
    )

    @Argument(help: "A new or empty folder to write into.")
    var path: String

    @Option(help: "A YAML settings file, read after the environment variables.")
    var config: String?

    func run() async throws {
        let settings = try await Settings.load(file: config)
        let opened = try await VigilServer.openStore(configuration: settings, logger: Settings.logger(level: settings.logLevel))
        do {
            let content = try await opened.store.exportContent()
            await opened.store.close()
            try content.write(to: URL(fileURLWithPath: path))
            print("Wrote \(content.petitions.count) petition(s), \(content.sources.count) source(s) and \(content.detainees.count) people to \(path).")
            print("The files include restricted facts: keep them private.")
        } catch {
            await opened.store.close()
            throw Settings.failure("\(error)")
        }
    }
}
