import AsyncHTTPClient
import Foundation
import VigilTestSupport
import Testing
import VigilCore

/// The tally commands of the built binary, as an operator and a sceptic run them.
@Suite(
    "Command line: dossier and receipts",
    .enabled(if: VigilProcess.isAvailable, "the vigil executable is not built next to the tests; run `swift build` first")
)
struct CommandLineTests {
    /// Runs `vigil` with arguments and returns its exit status and what it printed.
    static func vigil(_ arguments: [String], dataFolder: URL) async throws -> (status: Int32, output: String) {
        guard let executable = VigilProcess.executable else { throw VigilProcess.Failure("no vigil executable") }
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("VIGIL_") }
        environment["VIGIL_DATA_DIR"] = dataFolder.path
        return try await run(executable, arguments, environment: environment)
    }

    /// Runs a program to its end and returns its exit status and everything it printed.
    ///
    /// The wait happens on a thread of its own: blocking one of the few threads that run every
    /// test's tasks for the seconds a command takes would stall unrelated tests meanwhile.
    static func run(_ executable: URL, _ arguments: [String], environment: [String: String]) async throws -> (status: Int32, output: String) {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try runWaiting(executable, arguments, environment: environment) })
            }
        }
    }

    private static func runWaiting(_ executable: URL, _ arguments: [String], environment: [String: String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try ProcessLaunch.run(process)
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    @Test("a confirmed signature's receipt verifies from the command line; a built dossier verifies, and fails once a byte changed")
    func receiptAndDossier() async throws {
        let client = HTTPClient(configuration: .init(redirectConfiguration: .disallow))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let dataFolder = folder.appendingPathComponent("data")
        let server = try VigilProcess(
            dataFolder: dataFolder, port: try VigilProcess.freePort(), environment: ["VIGIL_TREE_HEAD_INTERVAL": "1"]
        )
        do {
            try await server.waitUntilReady(client: client)
            let session = try await SigningSession.open(client, baseURL: server.baseURL)
            for email in ["cli1@example.org", "cli2@example.org"] {
                #expect(try await session.sign(email: email) == .seeOther)
            }
            for (_, path) in try await CrashTests.mailedLinks(in: dataFolder, expecting: 2) {
                #expect(try await session.post(path, []) == .seeOther)
            }
            // The next tree head covers both.
            try await Task.sleep(for: .milliseconds(2500))
            let entries = try await client.execute(
                HTTPClientRequest(url: server.baseURL + "/petitions/osce-moscow-mechanism/tally/entries.json"), timeout: .seconds(10)
            )
            let body = try await entries.body.collect(upTo: 1 << 20)
            let document = try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]
            let leafHash = try #require(((document?["entries"] as? [[String: Any]])?.first?["leaf_hash"]) as? String)

            let receipt = try await Self.vigil(
                ["verify", "receipt", "--server", server.baseURL, "--petition", "osce-moscow-mechanism", "--leaf-hash", leafHash],
                dataFolder: dataFolder
            )
            #expect(receipt.status == 0, "\(receipt.output)")
            #expect(receipt.output.contains("The receipt verifies"))
            let unknown = try await Self.vigil(
                ["verify", "receipt", "--server", server.baseURL, "--petition", "osce-moscow-mechanism", "--leaf-hash", String(repeating: "0", count: 64)],
                dataFolder: dataFolder
            )
            #expect(unknown.status != 0)
            #expect(unknown.output.contains("no entry of this log has that leaf hash"))
        } catch {
            _ = await server.terminate()
            throw error
        }
        _ = await server.terminate()
        try await client.shutdown()

        let zip = folder.appendingPathComponent("dossier.zip")
        let build = try await Self.vigil(["dossier", "build", "--petition", "osce-moscow-mechanism", "--out", zip.path], dataFolder: dataFolder)
        #expect(build.status == 0, "\(build.output)")
        #expect(build.output.contains("2 signatures counted"))
        let verify = try await Self.vigil(["verify", zip.path], dataFolder: dataFolder)
        #expect(verify.status == 0, "\(verify.output)")
        #expect(verify.output.contains("The dossier verifies"))
        let again = try await Self.vigil(["dossier", "build", "--petition", "osce-moscow-mechanism", "--out", zip.path], dataFolder: dataFolder)
        #expect(again.status != 0 && again.output.contains("already exists"))

        // One byte changed inside tally.json's compressed data.
        var bytes = try Data(contentsOf: zip)
        let name = Data("tally.json".utf8)
        let header = Data([0x50, 0x4B, 0x03, 0x04])
        let nameRange = try #require(bytes.range(of: name))
        let headerStart = nameRange.lowerBound - 30
        #expect(bytes[headerStart..<(headerStart + 4)] == header)
        let extra = Int(bytes[headerStart + 28]) | Int(bytes[headerStart + 29]) << 8
        let target = nameRange.upperBound + extra + 40
        bytes[target] ^= 0x20
        let tampered = folder.appendingPathComponent("tampered.zip")
        try bytes.write(to: tampered)
        let failed = try await Self.vigil(["verify", tampered.path], dataFolder: dataFolder)
        #expect(failed.status == 1, "\(failed.output)")
        #expect(failed.output.contains("Failed: tally.json"))
    }
}
