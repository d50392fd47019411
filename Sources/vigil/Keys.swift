import ArgumentParser
import Foundation
import VigilCore
import VigilStore
import VigilWeb

/// `vigil keys rotate`: seals everything under a new master key.
struct Keys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage the master key that encrypts signers' personal data.",
        subcommands: [Rotate.self]
    )

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-encrypt every signer's data under a new master key. Stop the server first.",
            discussion: """
                The new key is written beside the old one, the database is re-sealed in one
                transaction, and then the files are swapped. If the command is interrupted, the
                next start of Vigil finishes or abandons the rotation, whichever the database says.
                Links in e-mails sent before the rotation ("manage my signature") stop working.
                """
        )

        @Option(help: "A YAML settings file, read after the environment variables.")
        var config: String?

        func run() async throws {
            let settings = try await Settings.load(file: config)
            // A running server keeps sealing with the old key, so it must be stopped.
            let lock = try VigilServer.lockDataFolder(configuration: settings)
            let opened = try await VigilServer.openStore(configuration: settings, logger: Settings.logger(level: .warning))
            let next = try opened.folder.writeNextMasterKey()
            let count: Int
            do {
                count = try await opened.store.reseal(with: PersonalDataCipher(masterKey: next), actor: "command line")
            } catch {
                await opened.store.close()
                try? FileManager.default.removeItem(at: opened.folder.nextMasterKeyFile)
                throw error
            }
            await opened.store.close()
            let retired = try opened.folder.promoteNextMasterKey()
            withExtendedLifetime(lock) {}
            print("Re-sealed \(count) signatures under a new master key: \(opened.folder.masterKeyFile.path)")
            print("The old key is kept as \(retired.path) for backups made before now; delete it when they are gone.")
        }
    }
}
