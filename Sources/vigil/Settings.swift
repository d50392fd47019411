import Logging
import VigilWeb

/// Reading the settings shared by every subcommand.
enum Settings {
    static func load(file: String?) async throws -> VigilConfiguration {
        try VigilConfiguration(reader: try await VigilConfiguration.reader(file: file))
    }

    static func logger(level: Logger.Level) -> Logger {
        var logger = Logger(label: "vigil")
        logger.logLevel = level
        return logger
    }
}
