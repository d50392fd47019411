import AsyncHTTPClient
import Foundation
import VigilTestSupport
import NIOCore
import NIOHTTP1
import NIOPosix

/// The built `vigil` executable, run as a separate process on a data folder, the way an
/// operator runs it: so that killing it is a real crash.
final class VigilProcess: @unchecked Sendable {
    let port: Int
    let dataFolder: URL
    private let process = Process()
    private let output: URL

    /// The `vigil` binary next to the test bundle, if the build produced one.
    static var executable: URL? {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = testBinary.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("vigil")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return nil
    }

    static var isAvailable: Bool { executable != nil }

    init(dataFolder: URL, port: Int, environment extra: [String: String] = [:]) throws {
        guard let executable = Self.executable else { throw Failure("the vigil executable was not built") }
        self.port = port
        self.dataFolder = dataFolder
        output = dataFolder.deletingLastPathComponent().appendingPathComponent("\(dataFolder.lastPathComponent)-\(UUID().uuidString).log")
        try FileManager.default.createDirectory(at: output.deletingLastPathComponent(), withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: output.path, contents: nil) else { throw Failure("cannot create \(output.path)") }
        process.executableURL = executable
        process.arguments = ["serve"]
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("VIGIL_") }
        environment["VIGIL_PORT"] = String(port)
        environment["VIGIL_DATA_DIR"] = dataFolder.path
        environment["VIGIL_CONTENT_DIR"] = Self.contentFolder.path
        environment["VIGIL_SIGN_RATE_LIMIT"] = "0"
        environment["VIGIL_SIGN_MINIMUM_SECONDS"] = "0"
        environment["VIGIL_LOG_LEVEL"] = "warning"
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        try ProcessLaunch.run(process)
    }

    static var contentFolder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Content")
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Waits until the server answers its health check.
    func waitUntilReady(client: HTTPClient, timeout: Duration = .seconds(60)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard process.isRunning else { throw Failure("vigil exited early: \(log)") }
            if let response = try? await client.execute(HTTPClientRequest(url: "\(baseURL)/healthz"), timeout: .seconds(1)),
               response.status == .ok {
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw Failure("vigil did not start within \(timeout): \(log)")
    }

    /// Ends the process abruptly, as a crash or power cut would: no shutdown code runs.
    func crash() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Asks the process to stop, and returns how long it took to exit.
    func terminate() async -> Duration {
        let start = ContinuousClock.now
        kill(process.processIdentifier, SIGTERM)
        while process.isRunning { try? await Task.sleep(for: .milliseconds(10)) }
        return ContinuousClock.now - start
    }

    var exitStatus: Int32 { process.terminationStatus }

    var pid: Int32 { process.processIdentifier }

    /// Waits for the process to end by itself; `false` if it still runs after `timeout`.
    func waitForExit(timeout: Duration = .seconds(60)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return !process.isRunning
    }

    var log: String { (try? String(contentsOf: output, encoding: .utf8)) ?? "" }

    /// A TCP port nobody listens on right now.
    static func freePort() throws -> Int {
        let channel = try ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).wait()
        let port = channel.localAddress?.port ?? 0
        try channel.close().wait()
        return port
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}

/// A browser session against a running server: one cookie, one form token, redirects not followed.
struct SigningSession: Sendable {
    let client: HTTPClient
    let baseURL: String
    let cookie: String
    let token: String

    static func open(_ client: HTTPClient, baseURL: String) async throws -> SigningSession {
        let response = try await client.execute(HTTPClientRequest(url: "\(baseURL)/petitions/osce-moscow-mechanism"), timeout: .seconds(10))
        let html = String(buffer: try await response.body.collect(upTo: 1 << 20))
        guard let cookie = response.headers["set-cookie"].first?.split(separator: ";").first,
              let range = html.range(of: #"name="csrf" value="[^"]+""#, options: .regularExpression)
        else { throw VigilProcess.Failure("no form on the petition page") }
        let token = String(html[range].dropFirst(#"name="csrf" value=""#.count).dropLast())
        return SigningSession(client: client, baseURL: baseURL, cookie: String(cookie), token: token)
    }

    /// Posts a form; returns the status, or throws if the connection failed.
    func post(_ path: String, _ fields: [(String, String)]) async throws -> HTTPResponseStatus {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Cookie", value: cookie)
        let body = ([("csrf", token)] + fields).map { "\($0.0)=\(Self.encode($0.1))" }.joined(separator: "&")
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await client.execute(request, timeout: .seconds(30))
        return response.status
    }

    func sign(email: String) async throws -> HTTPResponseStatus {
        try await post("/petitions/osce-moscow-mechanism/signatures", [
            ("lang", "en"), ("name", "Crash Test"), ("email", email), ("country", "AM"),
        ])
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
