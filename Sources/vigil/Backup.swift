import ArgumentParser
import Foundation
import VigilStore
import VigilWeb

/// `vigil backup --to FILE`: a consistent copy of the database, taken while the server runs.
struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a consistent copy of the database to a new file (mode 0600), while the server runs.",
        discussion: """
            The copy is the database as of one moment, made with SQLite's VACUUM INTO. It never
            overwrites a file. The master key and the tally log's key are not in the database:
            back them up separately (docs/operations.md). To restore, stop the server, put the copy
            in place of vigil.sqlite, remove vigil.sqlite-wal and vigil.sqlite-shm, and start it.
            """
    )

    @Option(help: "The file to write; it must not exist yet.")
    var to: String

    @Option(help: "A YAML settings file, read after the environment variables.")
    var config: String?

    func run() async throws {
        let settings = try await Settings.load(file: config)
        let folder = VigilServer.dataFolder(settings)
        let destination = URL(fileURLWithPath: to)
        do {
            try await Store.backupSQLite(path: folder.databaseFile.path, to: destination)
        } catch let error as StoreError {
            throw Settings.failure(error.description)
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: destination.path)[.size] as? Int) ?? 0
        print("Wrote a copy of \(folder.databaseFile.path) to \(destination.path) (\(size) bytes).")
        print("Not in it: the master key (\(folder.masterKeyFile.path)) and the log key (\(folder.logKeyFile.path)); back them up apart.")
    }
}
