import Foundation
import Glibc
import Logging
import NIOPosix

/// Writes each message as an `.eml` file instead of sending it, and logs its link: for
/// development, where no mail server is at hand.
public struct FileMailTransport: MailTransport {
    public let folder: URL
    private let logger: Logger

    public init(folder: URL, logger: Logger) {
        self.folder = folder
        self.logger = logger
    }

    public func send(_ message: MailMessage) async throws {
        do {
            let safeID = message.messageID.filter { $0.isLetter || $0.isNumber }
            let folder = folder.path
            let file = "\(folder)/\(safeID).eml"
            let text = Data(message.rendered().utf8)
            // Files are written on NIO's blocking-I/O threads: a write the kernel holds up (as it
            // does when a long queue of messages fills its dirty pages) would otherwise stop one
            // of the few threads that answer requests.
            try await NIOThreadPool.singleton.runIfActive {
                // Written under a temporary name and renamed, so a reader never sees half a message.
                // Not synced to disk, as `.atomic` would: these files are for a developer to read,
                // and a sync per message made the mail worker slow the signing benchmark down.
                // (Foundation's `Data.write(to:)` syncs even without `.atomic`, so the file is
                // written with the system calls themselves.)
                let partial = "\(folder)/.\(safeID).eml.partial"
                do {
                    try Self.write(text, to: partial)
                } catch let error as POSIXError where error.code == .ENOENT {
                    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                    try Self.write(text, to: partial)
                }
                if rename(partial, file) != 0 {
                    throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file])
                }
            }
            logger.notice(
                "wrote e-mail to \(file)",
                metadata: ["subject": "\(message.subject)", "link": "\(message.link ?? "none")"]
            )
            if let link = message.link {
                logger.notice("open this link to continue: \(link)")
            }
        } catch {
            throw MailDeliveryError.transient("cannot write to \(folder.path): \(error)")
        }
    }

    /// Creates or replaces the file at `path` with `data`, without syncing it.
    private static func write(_ data: Data, to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(descriptor) }
        try data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
                }
                offset += written
            }
        }
    }
}
