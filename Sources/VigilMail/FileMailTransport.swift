import Foundation
import Logging

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
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let safeID = message.messageID.filter { $0.isLetter || $0.isNumber }
            let file = folder.appendingPathComponent("\(safeID).eml")
            try Data(message.rendered().utf8).write(to: file, options: .atomic)
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
