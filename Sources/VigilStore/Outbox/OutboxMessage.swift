import Foundation
import SQLKit
import VigilCore

/// An e-mail waiting in the outbox, opened for delivery.
public struct OutboxMessage: Sendable, Equatable {
    /// What the message is about; the mail composer picks its template by kind.
    public enum Kind: String, Sendable, Codable {
        /// Asks the signer to confirm with the link inside.
        case confirmSignature = "confirm-signature"
        /// Tells the owner of an address that it had already signed.
        case alreadySigned = "already-signed"
        /// Gives a signer whose signature now counts the receipt that proves it: the leaf of
        /// the tally log and the nonce of their commitment.
        case signatureReceipt = "signature-receipt"
        /// News about the petition, for signers who asked to be kept informed.
        case update
    }

    public let id: Int64
    public let kind: Kind
    public let language: String
    /// The address to deliver to.
    public let recipient: String
    /// What the template needs, such as the signer's name and the confirmation token.
    public let fields: [String: String]
    /// Delivery attempts made before this one.
    public let attempts: Int
    /// The unique part of the Message-ID, the same on every attempt so receivers can drop repeats.
    public let messageID: String
}

/// The signature a message is about: its petition and the blind index of its address. Erasing
/// that signature's personal data deletes the message too.
struct MailSigner: Sendable, Equatable {
    let petitionID: Int64
    let emailIndex: String
}

/// An outbox message as it is queued, before it has an id.
struct QueuedMail: Sendable {
    var kind: OutboxMessage.Kind
    var language: String
    var recipient: String
    var fields: [String: String]
    var signer: MailSigner

    /// The message as the outbox stores it: recipient and payload sealed, with a Message-ID
    /// that stays the same on every delivery attempt.
    func sealed(cipher: PersonalDataCipher, random: any RandomSource, queuedAt milliseconds: Int64) throws -> SealedMail {
        SealedMail(
            kind: kind,
            language: language,
            recipient: Data(try cipher.seal(Array(recipient.utf8))),
            payload: Data(try cipher.seal(json: fields)),
            messageID: Self.messageID(queuedAt: milliseconds, random: random),
            signer: signer
        )
    }

    /// The moment in milliseconds (twelve hex digits), then 128 random bits. The random part
    /// makes it unique; the time in front keeps the unique index on `message_id` growing at
    /// its end, so a batch of new messages changes a page or two of it rather than one page
    /// per message at random places, each written to the log at commit.
    static func messageID(queuedAt milliseconds: Int64, random: any RandomSource) -> String {
        MillisecondStamp.bytes(milliseconds).hexString + random.bytes(16).hexString
    }
}

/// An outbox message sealed for storage. Sealing is done before a transaction where it can be,
/// so that the writer's transaction, which every signer waits for, only inserts.
struct SealedMail: Sendable {
    let kind: OutboxMessage.Kind
    let language: String
    let recipient: Data
    let payload: Data
    let messageID: String
    let signer: MailSigner

    /// Inserts messages into the outbox inside the caller's transaction, queued and due at `nowMS`.
    static func insert(_ mail: [SealedMail], at nowMS: Int64, on database: any SQLDatabase) async throws {
        guard !mail.isEmpty else { return }
        let rows = mail.map { message -> SQLQueryString in
            """
            (\(bind: message.kind.rawValue), \(bind: message.language), \(bind: message.recipient), \(bind: message.payload),
             'queued', 0, \(bind: nowMS), \(bind: message.messageID), \(bind: nowMS),
             \(bind: message.signer.petitionID), \(bind: message.signer.emailIndex))
            """
        }
        try await database.raw(
            """
            INSERT INTO outbox (kind, language, recipient, payload, status, attempts, next_attempt_at, message_id, created_at,
                petition_id, email_index)
            VALUES
            """ + rows.joined(separator: ", ")
        ).run()
    }
}
