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

/// An outbox message as the signature writer queues it, before it has an id.
struct QueuedMail: Sendable {
    var kind: OutboxMessage.Kind
    var language: String
    var recipient: String
    var fields: [String: String]
}
