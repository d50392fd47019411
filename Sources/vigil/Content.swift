import ArgumentParser

/// `vigil content`: moves campaign content between data files and the database.
struct Content: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import or export the campaign's content files (petitions, sources, the detainee registry).",
        subcommands: [ContentImport.self, ContentExport.self]
    )
}
