import Foundation
import VigilTestSupport
import NIOCore
import NIOPosix
import Testing
import VigilCore

/// Runs `smtp_test_server.py` (aiosmtpd) for one test: a real SMTP server on a free port of
/// 127.0.0.1, storing what it accepts in a folder of its own.
final class SMTPTestServer {
    /// Whether `python3` can import aiosmtpd; without it the SMTP tests are skipped.
    static let isAvailable: Bool = {
        guard let status = try? run(["python3", "-c", "import aiosmtpd"]) else { return false }
        return status == 0
    }()

    static let unavailableReason: Comment = "python3 with aiosmtpd is not installed; .ci/run installs it"

    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .appendingPathComponent("smtp_test_server.py")

    let port: Int
    let folder: URL
    let maildir: URL
    private let process: Process
    private let input: Pipe
    private let output: Pipe
    private let collected: CollectedOutput

    private init(port: Int, folder: URL, maildir: URL, process: Process, input: Pipe, output: Pipe, collected: CollectedOutput) {
        self.port = port
        self.folder = folder
        self.maildir = maildir
        self.process = process
        self.input = input
        self.output = output
        self.collected = collected
    }

    /// Starts the server with the given options (see the script) and returns once it listens,
    /// on `port`, or on a free port when it is 0.
    static func start(_ options: [String] = [], port: Int = 0) async throws -> SMTPTestServer {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("vigil-smtp-\(UUID().uuidString)", isDirectory: true)
        let maildir = folder.appendingPathComponent("mail", isDirectory: true)
        try FileManager.default.createDirectory(at: maildir, withIntermediateDirectories: true)
        let errorLog = folder.appendingPathComponent("server.log")
        guard FileManager.default.createFile(atPath: errorLog.path, contents: nil) else {
            throw ServerFailure(description: "cannot create \(errorLog.path)")
        }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, "--port", String(port), "--maildir", maildir.path, "--lifetime", "120"] + options
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: errorLog)
        let collected = CollectedOutput()
        output.fileHandleForReading.readabilityHandler = { handle in
            collected.append(handle.availableData)
        }
        try ProcessLaunch.run(process)

        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if let port = collected.readyPort() {
                return SMTPTestServer(
                    port: port, folder: folder, maildir: maildir, process: process, input: input, output: output, collected: collected
                )
            }
            if !process.isRunning { break }
            do {
                try await Task.sleep(for: .milliseconds(20))
            } catch {
                end(process, input: input)
                throw error
            }
        }
        end(process, input: input)
        output.fileHandleForReading.readabilityHandler = nil
        let log = (try? String(contentsOf: errorLog, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(at: folder)
        throw ServerFailure(description: "the SMTP test server did not report READY: \(log)")
    }

    struct ServerFailure: Error, CustomStringConvertible {
        var description: String
    }

    /// Changes how the server answers from now on (`refuse 451`, `reject 550 <address>`,
    /// `delay 5`, `healthy`; see the script) and returns once the change is in force.
    func command(_ command: String) async throws {
        try input.fileHandleForWriting.write(contentsOf: Data((command + "\n").utf8))
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if collected.hasLine("DONE \(command)") { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw ServerFailure(description: "the SMTP test server did not carry out '\(command)'")
    }

    /// Stops the server and removes its folder.
    func stop() {
        Self.end(process, input: input)
        output.fileHandleForReading.readabilityHandler = nil
        try? FileManager.default.removeItem(at: folder)
    }

    /// Closes the server's stdin, which makes it exit; SIGTERM and, after a few seconds, SIGKILL
    /// make sure it does.
    private static func end(_ process: Process, input: Pipe) {
        try? input.fileHandleForWriting.close()
        if process.isRunning { process.terminate() }
        let deadline = ContinuousClock.now + .seconds(5)
        while process.isRunning && ContinuousClock.now < deadline {
            Thread.sleep(forTimeInterval: 0.01)
        }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// A message the server accepted, as the script recorded it.
    struct StoredMessage: Decodable {
        var mailFrom: String
        var rcptTos: [String]
        var mailOptions: [String]
        var tls: Bool
        var authenticated: Bool
        var subject: String
        var messageId: String
        var body: String
        var eml: String
        /// The message bytes as received, after the server removed the dot-stuffing.
        var raw = Data()

        enum CodingKeys: String, CodingKey {
            case mailFrom = "mail_from", rcptTos = "rcpt_tos", mailOptions = "mail_options"
            case tls, authenticated, subject, messageId = "message_id", body, eml
        }
    }

    /// Every message accepted so far, oldest first.
    func messages() throws -> [StoredMessage] {
        let files = try FileManager.default.contentsOfDirectory(at: maildir, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }
            .sorted { Int($0.deletingPathExtension().lastPathComponent) ?? 0 < Int($1.deletingPathExtension().lastPathComponent) ?? 0 }
        return try files.map { file in
            var message = try JSONDecoder().decode(StoredMessage.self, from: Data(contentsOf: file))
            message.raw = try Data(contentsOf: maildir.appendingPathComponent(message.eml))
            return message
        }
    }

    /// A port of 127.0.0.1 that nobody listens on: bound as port 0 and closed again.
    static func unusedPort() async throws -> Int {
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = listener.localAddress?.port
        try await listener.close()
        guard let port else { throw ServerFailure(description: "no free port") }
        return port
    }

    /// Runs a command to its end and returns its exit status.
    static func run(_ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try ProcessLaunch.run(process)
        process.waitUntilExit()
        return process.terminationStatus
    }
}

/// What the server printed, gathered on Foundation's reading thread.
private final class CollectedOutput: Sendable {
    private let data = Locked(Data())

    func append(_ chunk: Data) {
        data.withLock { $0.append(chunk) }
    }

    func hasLine(_ expected: String) -> Bool {
        let text = data.withLock { String(decoding: $0, as: UTF8.self) }
        return text.split(separator: "\n").contains { $0 == expected }
    }

    func readyPort() -> Int? {
        let text = data.withLock { String(decoding: $0, as: UTF8.self) }
        for line in text.split(separator: "\n") where line.hasPrefix("READY ") {
            return Int(line.dropFirst("READY ".count).trimmingCharacters(in: .whitespaces))
        }
        return nil
    }
}

/// A self-signed certificate for localhost and 127.0.0.1, made with openssl once per test run.
/// It serves as the server's certificate and as the extra CA the client trusts.
struct TestCertificate: Sendable {
    let certificateFile: String
    let keyFile: String

    static let shared: TestCertificate? = {
        let folder = certificateFolder
        guard (try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)) != nil else { return nil }
        atexit { try? FileManager.default.removeItem(at: certificateFolder) }
        let certificate = folder.appendingPathComponent("certificate.pem").path
        let key = folder.appendingPathComponent("key.pem").path
        let status = try? SMTPTestServer.run([
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-keyout", key, "-out", certificate,
        ])
        guard status == 0 else { return nil }
        return TestCertificate(certificateFile: certificate, keyFile: key)
    }()

    static var isAvailable: Bool { shared != nil }
    static let unavailableReason: Comment = "openssl could not make a test certificate"
}

/// Where the test certificate lives while the tests run; removed when the test process exits.
private let certificateFolder = FileManager.default.temporaryDirectory
    .appendingPathComponent("vigil-smtp-certificate-\(UUID().uuidString)", isDirectory: true)
