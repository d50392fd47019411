import ArgumentParser
import VigilStore
import VigilWeb

/// `vigil migrate`: brings the database schema up to date and exits.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create or update the database schema, then exit. `serve` does this too on start."
    )

    @Option(help: "A YAML settings file, read after the environment variables.")
    var config: String?

    func run() async throws {
        let settings = try await Settings.load(file: config)
        let opened = try await VigilServer.openStore(configuration: settings, logger: Settings.logger(level: settings.logLevel))
        await opened.store.close()
        print("The database at \(opened.folder.databaseFile.path) is at schema version \(Store.schemaVersion).")
    }
}
