import ArgumentParser
import Foundation
import VigilCore
import VigilStore
import VigilWeb

/// `vigil db copy`: moves a campaign from its SQLite file into PostgreSQL.
struct DatabaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Move a campaign between databases.",
        subcommands: [Copy.self]
    )

    struct Copy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy every row of a SQLite database into an empty PostgreSQL database, then check both sides.",
            discussion: """
                The PostgreSQL database is migrated first and must hold no campaign yet. The SQLite
                file is read as of one moment, so the copy may run while its server runs; for the
                final move, stop that server, copy, and start the servers with VIGIL_DATABASE_URL.
                Afterwards every table must hold as many rows on both sides, and every petition's
                tally log the same size and root, or the command fails. The data folder's master key
                must be the one the SQLite database is sealed with; give every PostgreSQL server a
                copy of it and of the log key (docs/operations.md).
                """
        )

        @Option(help: "The source: sqlite:PATH (default: the data folder's vigil.sqlite).")
        var from: String?

        @Option(help: "The destination: postgres://user:password@host:port/database.")
        var to: String

        @Option(help: "The PostgreSQL schema to copy into.")
        var schema: String = "public"

        @Option(help: "A YAML settings file, read after the environment variables.")
        var config: String?

        func run() async throws {
            var settings = try await Settings.load(file: config)
            let folder = VigilServer.dataFolder(settings)
            let source: String
            if let from {
                guard from.hasPrefix("sqlite:") else { throw Settings.failure("--from takes sqlite:PATH, not '\(from)'") }
                source = String(from.dropFirst("sqlite:".count))
            } else {
                source = folder.databaseFile.path
            }
            settings.databaseURL = to
            settings.databaseSchema = schema
            do {
                try settings.check()
            } catch {
                throw Settings.failure("\(error)")
            }
            let logger = Settings.logger(level: .warning)
            let report: DatabaseCopyReport
            do {
                let opened = try await VigilServer.openStore(configuration: settings, logger: logger)
                do {
                    report = try await opened.store.copyRows(fromSQLite: source, logger: logger)
                } catch {
                    await opened.store.close()
                    throw error
                }
                await opened.store.close()
            } catch let error as StoreError {
                throw Settings.failure(error.description)
            }
            let rows = report.rows.values.reduce(0, +)
            print("Copied \(rows) rows in \(report.rows.count) tables from \(source) to \(PostgresLocation.redacted(to)) (schema \(schema)).")
            for log in report.logs {
                print("Tally log of \(log.petition): \(log.size) entries, root \(log.root.hex), the same on both sides.")
            }
        }
    }
}
