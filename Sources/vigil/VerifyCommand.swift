import ArgumentParser
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import VigilCore
import VigilWeb

/// `vigil verify`: checks a dossier offline, or a receipt against a server.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a delivery dossier (offline) or a signer's receipt (against a server).",
        subcommands: [VerifyDossier.self, VerifyReceipt.self],
        defaultSubcommand: VerifyDossier.self
    )

    /// The `--key` option: a base64 Ed25519 public key.
    static func publicKey(_ text: String) throws -> TallyLogPublicKey {
        guard let key = TallyLogPublicKey(base64: text) else { throw ValidationError("--key is not a base64 Ed25519 public key") }
        return key
    }
}

/// `vigil verify FILE.zip`.
struct VerifyDossier: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dossier",
        abstract: "Check a dossier offline: file hashes, signatures, the Merkle root and the count. Exits 1 on any mismatch."
    )

    @Argument(help: "The dossier's ZIP file.")
    var file: String

    @Option(help: "The log's public key (base64) you expect, e.g. from /.well-known/vigil-log-key.")
    var key: String?

    func run() async throws {
        let expected = try key.map(VerifyCommand.publicKey)
        guard FileManager.default.fileExists(atPath: file) else { throw ValidationError("\(file) does not exist") }
        let report = DossierVerifier.verify(archive: URL(fileURLWithPath: file), expectedKey: expected)
        for check in report.checks {
            print("\(check.passed ? "ok  " : "FAIL") \(check.subject): \(check.detail)")
        }
        if report.passed {
            let counted = report.totals?.counted ?? 0
            print("\nThe dossier verifies: \(counted) signatures counted, tree head of \(report.treeHead?.head.size ?? 0) entries.")
        } else {
            print("\nThe dossier does NOT verify. Failed: \(report.failedSubjects.joined(separator: ", ")).")
            throw ExitCode(1)
        }
    }
}

/// `vigil verify receipt`.
struct VerifyReceipt: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "receipt",
        abstract: "Check a signer's receipt against a Vigil server's signed tree head. Exits 1 if it does not verify."
    )

    @Option(help: "The server's address, e.g. https://petition.example.org.")
    var server: String

    @Option(help: "The petition's slug.")
    var petition: String

    @Option(name: .customLong("leaf-hash"), help: "The leaf hash on the receipt (64 hex digits).")
    var leafHash: String

    @Option(help: "The nonce on the receipt (64 hex digits), to check that the entry is yours; needs --email.")
    var nonce: String?

    @Option(help: "The address you signed with; needs --nonce.")
    var email: String?

    @Option(help: "The log's public key (base64) to trust instead of the one the server publishes.")
    var key: String?

    func run() async throws {
        guard let hash = MerkleHash(hex: leafHash) else { throw ValidationError("--leaf-hash must be 64 hexadecimal digits") }
        guard (nonce == nil) == (email == nil) else { throw ValidationError("give --nonce and --email together, or neither") }
        var nonceBytes: [UInt8]?
        if let nonce {
            guard let bytes = [UInt8](hexadecimal: nonce), bytes.count == 32 else {
                throw ValidationError("--nonce must be 64 hexadecimal digits")
            }
            nonceBytes = bytes
        }
        let address = try email.map { text in
            do { return try EmailAddress(text) } catch { throw ValidationError("--email is not an e-mail address") }
        }
        let pinned = try key.map(VerifyCommand.publicKey)
        guard let base = URL(string: server), let scheme = base.scheme, ["http", "https"].contains(scheme) else {
            throw ValidationError("--server must be an http(s) address")
        }
        let root = server.hasSuffix("/") ? String(server.dropLast()) : server
        let client = ReceiptClient { path in
            guard let url = URL(string: root + path) else { throw ValidationError("cannot build a URL for \(path)") }
            let (data, response) = try await URLSession.shared.data(from: url)
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
        }
        let report = try await client.check(petition: petition, leafHash: hash, nonce: nonceBytes, email: address, pinnedKey: pinned)
        for line in report.lines {
            print("\(line.passed ? "ok  " : "FAIL") \(line.text)")
        }
        if report.passed {
            print("\nThe receipt verifies: the signature is in the signed log and counts.")
        } else {
            print("\nThe receipt does NOT verify.")
            throw ExitCode(1)
        }
    }
}
