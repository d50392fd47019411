import Crypto
import Foundation

/// Writes a file in large chunks while computing its SHA-256 and size, so a dossier file of
/// hundreds of megabytes is written and hashed without ever being held in memory.
final class HashingFileWriter {
    private let handle: FileHandle
    private var hasher = SHA256()
    private var buffer = Data()
    private(set) var size: UInt64 = 0
    private static let flushSize = 1 << 20

    init(url: URL) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw DossierError.cannotWrite(url.path)
        }
        handle = try FileHandle(forWritingTo: url)
    }

    func write(_ text: String) throws {
        try write(Data(text.utf8))
    }

    func write(_ data: Data) throws {
        hasher.update(data: data)
        size += UInt64(data.count)
        buffer.append(data)
        if buffer.count >= Self.flushSize { try flush() }
    }

    private func flush() throws {
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, closes, and returns the file's SHA-256 in hex and its size.
    func finish() throws -> (sha256: String, size: UInt64) {
        try flush()
        try handle.close()
        return (hasher.finalize().hexString, size)
    }
}
