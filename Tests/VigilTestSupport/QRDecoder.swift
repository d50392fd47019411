import Foundation
import Testing

/// Renders SVGs with rsvg-convert (Debian's librsvg2-bin) and reads them back with zbarimg
/// (zbar-tools); the decoding suite is skipped when either program is missing.
public enum QRDecoder {
    private static let rsvgConvert = executable(named: "rsvg-convert")
    private static let zbarimg = executable(named: "zbarimg")
    /// Whether both programs are installed.
    public static let isAvailable = rsvgConvert != nil && zbarimg != nil
    /// Why the tests that decode are skipped.
    public static let unavailableReason: Comment = "needs rsvg-convert (librsvg2-bin) and zbarimg (zbar-tools) on PATH; .ci/run installs them"

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The text zbarimg reads from an SVG, rendered at its own size.
    public static func decode(svg text: String) throws -> String {
        guard let rsvgConvert, let zbarimg else { throw Failure(description: "decoder programs missing") }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("qr-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let svg = directory.appendingPathComponent("code.svg")
        let png = directory.appendingPathComponent("code.png")
        try Data(text.utf8).write(to: svg)
        _ = try run(rsvgConvert, ["--output", png.path, svg.path])
        // Only QR symbols, so that a run of modules can never be reported as a linear barcode.
        let output = try run(zbarimg, ["--raw", "-q", "-Sdisable", "-Sqrcode.enable", png.path])
        // zbarimg ends each symbol's text with a newline of its own.
        return String(decoding: output.dropLast(output.last == UInt8(ascii: "\n") ? 1 : 0), as: UTF8.self)
    }

    private static func executable(named name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories = path.split(separator: ":").map(String.init) + ["/usr/bin"]
        return directories
            .map { URL(fileURLWithPath: $0).appendingPathComponent(name) }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    private static func run(_ program: URL, _ arguments: [String]) throws -> Data {
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try ProcessLaunch.run(process)
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "\(program.lastPathComponent) exited \(process.terminationStatus): "
                + String(decoding: message, as: UTF8.self))
        }
        return data
    }
}
