import ArgumentParser
import Foundation
import Logging
import VigilWeb

/// Reading the settings shared by every subcommand.
enum Settings {
    static func load(file: String?) async throws -> VigilConfiguration {
        try VigilConfiguration(reader: try await VigilConfiguration.reader(file: file))
    }

    /// Prints a message for the operator on standard error; throw the result to exit with status 1.
    static func failure(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("vigil: \(message)\n".utf8))
        return .failure
    }

    static func logger(level: Logger.Level) -> Logger {
        var logger = Logger(label: "vigil")
        logger.logLevel = level
        return logger
    }
}
