import Foundation
import Testing
import VigilTestSupport

/// `vigil content import` and `vigil content export`, run as an operator runs them.
@Suite(
    "Content commands",
    .enabled(if: VigilProcess.isAvailable, "the vigil executable is not built next to the tests; run `swift build` first")
)
struct ContentCommandTests {
    struct Outcome {
        let status: Int32
        let output: String
        let errors: String
    }

    /// Runs `vigil` with arguments on a data folder and waits for it to exit.
    static func vigil(_ arguments: [String], dataFolder: URL) throws -> Outcome {
        guard let executable = VigilProcess.executable else { throw VigilProcess.Failure("no vigil executable") }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("VIGIL_") }
        environment["VIGIL_DATA_DIR"] = dataFolder.path
        environment["VIGIL_LOG_LEVEL"] = "warning"
        process.environment = environment
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try ProcessLaunch.run(process)
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus,
            output: String(decoding: out, as: UTF8.self),
            errors: String(decoding: err, as: UTF8.self)
        )
    }

    /// Every file under a folder with its contents, by relative path.
    static func files(in folder: URL) throws -> [String: String] {
        var result: [String: String] = [:]
        let paths = FileManager.default.enumerator(atPath: folder.path)?.compactMap { $0 as? String } ?? []
        for path in paths where path.hasSuffix(".yaml") {
            result[path] = try String(contentsOf: folder.appendingPathComponent(path), encoding: .utf8)
        }
        return result
    }

    @Test("import loads the campaign; a broken file is refused with its place named and changes nothing; export round-trips")
    func importAndExport() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = folder.appendingPathComponent("data")

        let first = try Self.vigil(["content", "import", TestStore.contentFolder.path], dataFolder: data)
        #expect(first.status == 0, "\(first.errors)")
        #expect(first.output.contains("Loaded the campaign: 1 petition(s), 1 source(s), 23 people."))

        let before = folder.appendingPathComponent("before")
        let exported = try Self.vigil(["content", "export", before.path], dataFolder: data)
        #expect(exported.status == 0, "\(exported.errors)")
        #expect(exported.output.contains("23 people"))

        let broken = try TestStore.copyOfContent(editing: [
            (file: "detainees/madat-badayan.yaml", find: "kind: arrest-announced", replace: "kind: arrested"),
        ])
        defer { try? FileManager.default.removeItem(at: broken) }
        let refused = try Self.vigil(["content", "import", broken.path, "--reason", "test"], dataFolder: data)
        #expect(refused.status == 1)
        #expect(refused.errors.contains("detainees/madat-badayan.yaml, record events[1], field kind: 'arrested' is not one of"))
        #expect(refused.errors.contains("Nothing was changed."))

        let after = folder.appendingPathComponent("after")
        #expect(try Self.vigil(["content", "export", after.path], dataFolder: data).status == 0)
        let beforeFiles = try Self.files(in: before)
        #expect(beforeFiles.count == 23 + 4 + 4, "23 people, the campaign, its sources, the OSCE, the petition, and its text in each of the four languages")
        #expect(try Self.files(in: after) == beforeFiles, "the refused import changed nothing")

        // The exported files import again and change nothing: they are the same campaign.
        let again = try Self.vigil(["content", "import", before.path], dataFolder: data)
        #expect(again.status == 0, "\(again.errors)")
        #expect(again.output.contains("0 added, 0 changed, 23 unchanged"))

        let overwrite = try Self.vigil(["content", "export", before.path], dataFolder: data)
        #expect(overwrite.status == 1)
        #expect(overwrite.errors.contains("not empty"))
    }
}
