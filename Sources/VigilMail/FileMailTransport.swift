import Foundation
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
            let file = folder.appendingPathComponent("\(safeID).eml")
            let text = Data(message.rendered().utf8)
            // Files are written on NIO's blocking-I/O threads: a write the kernel holds up (as it
            // does when a long queue of messages fills its dirty pages) would otherwise stop one
            // of the few threads that answer requests.
            try await NIOThreadPool.singleton.runIfActive { [folder] in
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                // Written under a temporary name and renamed, so a reader never sees half a message.
                // Not synced to disk, as `.atomic` would: these files are for a developer to read,
                // and a sync per message made the mail worker slow the signing benchmark down.
                let partial = folder.appendingPathComponent(".\(safeID).eml.partial")
                try text.write(to: partial)
                if rename(partial.path, file.path) != 0 {
                    throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file.path])
                }
            }
            logger.notice(
                "wrote e-mail to \(file.path)",
                metadata: ["subject": "\(message.subject)", "link": "\(message.link ?? "none")"]
            )
            if let link = message.link {
                logger.notice("open this link to continue: \(link)")
            }
        } catch {
            throw MailDeliveryError.transient("cannot write to \(folder.path): \(error)")
        }
    }
}
