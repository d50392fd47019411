import ArgumentParser
import VigilCore
import VigilStore
import VigilWeb

/// `vigil admin`: staff accounts from the command line, for the first administrator and for
/// when nobody can sign in.
struct Admin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage staff accounts.",
        subcommands: [Create.self]
    )

    /// `vigil admin create --email … --role …`
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a staff account and print its one-time setup link (valid 24 hours)."
        )

        @Option(help: "The staff member's e-mail address.")
        var email: String

        @Option(help: "admin, editor, coordinator or viewer.")
        var role: String

        @Option(help: "A YAML settings file, read after the environment variables.")
        var config: String?

        func validate() throws {
            guard StaffRole(rawValue: role) != nil else {
                throw ValidationError("--role must be one of: \(StaffRole.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            do {
                _ = try EmailAddress(email)
            } catch {
                throw ValidationError("--email '\(email)' is not an e-mail address")
            }
        }

        func run() async throws {
            let settings = try await Settings.load(file: config)
            guard let role = StaffRole(rawValue: role) else { return }
            let server = try await VigilServer.build(configuration: settings, logger: Settings.logger(level: .warning))
            let link: String
            do {
                link = try await server.invite(email: email, role: role)
            } catch StoreError.conflict(let reason) {
                await server.store.close()
                throw ValidationError(reason)
            } catch {
                await server.store.close()
                throw error
            }
            await server.store.close()
            print("Created an account for \(email.lowercased()) with the role \(role.rawValue).")
            print("Send this setup link by a channel you trust; it works once, within 24 hours:")
            print(link)
        }
    }
}
