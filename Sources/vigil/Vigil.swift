import ArgumentParser

/// The `vigil` command: one binary for the server and its maintenance tasks.
@main
struct Vigil: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A self-hosted petition and prisoner-advocacy server.",
        discussion: """
            Settings come from environment variables (VIGIL_PORT, VIGIL_DATA_DIR, …), then from an
            optional YAML file (VIGIL_CONFIG_FILE, or vigil.yaml in the working folder). See
            docs/operations.md for the full list.
            """,
        subcommands: [
            Serve.self, Migrate.self, Admin.self, Content.self, Keys.self, Privacy.self,
            DossierCommand.self, VerifyCommand.self, DeliveryCommand.self, Backup.self, DatabaseCommand.self, Bench.self,
        ],
        defaultSubcommand: Serve.self
    )
}
