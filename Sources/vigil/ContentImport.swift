import ArgumentParser
import Foundation
import VigilStore
import VigilWeb

/// `vigil content import PATH`: checks content files and loads them, all or nothing.
struct ContentImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Check content files and load them into the database in one transaction.",
        discussion: """
            Into an empty database the whole campaign is loaded. When a campaign is already
            there, the registry is brought in line with the files: new sources and people are
            added and changed records rewritten, each change kept as a revision with --reason.
            Petitions and organisations are left as they are. On any mistake the file, the
            record and the field are named and nothing is changed. A running server shows the
            changes after a restart.
            """
    )

    @Argument(help: "The content folder: campaign.yaml, sources.yaml, detainees/, petitions/, organisations/.")
    var path: String

    @Option(help: "Why the content changes; kept with every revision.")
    var reason: String?

    @Option(help: "A YAML settings file, read after the environment variables.")
    var config: String?

    func run() async throws {
        let settings = try await Settings.load(file: config)
        let content: CampaignContent
        do {
            content = try CampaignContent.load(from: URL(fileURLWithPath: path))
        } catch {
            throw Settings.failure("\(error)\nNothing was changed.")
        }
        let opened = try await VigilServer.openStore(configuration: settings, logger: Settings.logger(level: settings.logLevel))
        let store = opened.store
        do {
            let why = reason ?? "content import from \(path)"
            if try await store.hasContent() {
                let changes = try await store.updateRegistry(from: content, actor: "content-import", reason: why)
                await store.close()
                print(Self.report(changes))
            } else {
                try await store.importContent(content, actor: "content-import", reason: why)
                await store.close()
                print("Loaded the campaign: \(content.petitions.count) petition(s), \(content.sources.count) source(s), \(content.detainees.count) people.")
            }
        } catch {
            await store.close()
            throw Settings.failure("\(error)\nNothing was changed.")
        }
    }

    static func report(_ changes: RegistryChanges) -> String {
        var lines = [
            "Registry updated: \(changes.added.count) added, \(changes.changed.count) changed, \(changes.unchanged) unchanged.",
        ]
        if !changes.added.isEmpty { lines.append("Added: \(changes.added.joined(separator: ", "))") }
        if !changes.changed.isEmpty { lines.append("Changed: \(changes.changed.joined(separator: ", "))") }
        let sources = changes.sourcesAdded + changes.sourcesChanged
        if !sources.isEmpty { lines.append("Sources added or changed: \(sources.joined(separator: ", "))") }
        if !changes.notInFiles.isEmpty {
            lines.append("In the database but not in the files, left as they are: \(changes.notInFiles.joined(separator: ", "))")
        }
        lines.append("Petitions and organisations are only loaded into an empty database. Restart a running server to show the changes.")
        return lines.joined(separator: "\n")
    }
}
