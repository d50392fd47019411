import ArgumentParser
import Logging
import VigilWeb

/// `vigil serve`: runs the web server, the signature writer and the mail worker: the only server
/// on its SQLite data folder, or one of several on a PostgreSQL database.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the petition server until interrupted (SIGINT or SIGTERM stop it gracefully)."
    )

    @Option(help: "A YAML settings file, read after the environment variables.")
    var config: String?

    func run() async throws {
        let settings = try await Settings.load(file: config)
        let logger = Settings.logger(level: settings.logLevel)
        // Before the database is opened: a second server must not even migrate a SQLite file.
        // Servers sharing a PostgreSQL database each have a data folder of their own (with the
        // same keys), and coordinate through the database.
        let lock = settings.databaseURL == nil ? try VigilServer.lockDataFolder(configuration: settings) : nil
        let server = try await VigilServer.build(configuration: settings, metrics: .bootstrapped(), logger: logger)
        try await server.run()
        withExtendedLifetime(lock) {}
    }
}
