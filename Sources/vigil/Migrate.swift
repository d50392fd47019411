import ArgumentParser
import VigilStore
import VigilWeb

/// `vigil migrate`: brings the database schema up to date and exits.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create or update the database schema, then exit. `serve` does this too on start.",
        discussion: "Refuses to run while a server uses the data folder: stop it first."
    )

    @Option(help: "A YAML settings file, read after the environment variables.")
    var config: String?

    func run() async throws {
        let settings = try await Settings.load(file: config)
        // A running server expects the schema it started with: migrating under it would leave it
        // answering from a database it does not know.
        let lock = try VigilServer.lockDataFolder(configuration: settings)
        let opened = try await VigilServer.openStore(configuration: settings, logger: Settings.logger(level: settings.logLevel))
        await opened.store.close()
        withExtendedLifetime(lock) {}
        print("The database at \(opened.folder.databaseFile.path) is at schema version \(Store.schemaVersion).")
    }
}
