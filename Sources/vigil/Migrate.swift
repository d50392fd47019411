import ArgumentParser
import Foundation
import VigilCore
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
        let folder = DataFolder(
            url: URL(fileURLWithPath: settings.dataDirectory),
            masterKeyFile: settings.masterKeyFile.map { URL(fileURLWithPath: $0) }
        )
        try folder.prepare()
        let (key, _) = try folder.loadOrCreateMasterKey()
        let store = try await Store.openSQLite(
            path: folder.databaseFile.path,
            cipher: PersonalDataCipher(masterKey: key),
            logger: Settings.logger(level: settings.logLevel)
        )
        await store.close()
        print("The database at \(folder.databaseFile.path) is at schema version \(Store.schemaVersion).")
    }
}
