import ArgumentParser
import Logging
import VigilWeb

/// `vigil serve`: runs the web server, the signature writer and the mail worker.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the petition server until interrupted (SIGINT or SIGTERM stop it gracefully)."
    )

    @Option(help: "A YAML settings file, read after the environment variables.")
    var config: String?

    func run() async throws {
        let settings = try await Settings.load(file: config)
        let logger = Settings.logger(level: settings.logLevel)
        let server = try await VigilServer.build(configuration: settings, logger: logger)
        try await server.run()
    }
}
