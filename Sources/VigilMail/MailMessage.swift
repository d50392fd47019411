import Foundation

/// An e-mail ready to send: a plain-text message in UTF-8.
public struct MailMessage: Sendable, Equatable {
    /// A mailbox: an address with an optional display name.
    public struct Mailbox: Sendable, Equatable {
        public var name: String?
        public var address: String

        public init(name: String? = nil, address: String) {
            self.name = name
            self.address = address
        }
    }

    public var from: Mailbox
    public var to: Mailbox
    public var subject: String
    public var body: String
    /// The full Message-ID, with angle brackets. It stays the same on every attempt to send the
    /// message, so a receiver can recognise a repeat.
    public var messageID: String
    public var date: Date
    /// The link the message is about, which the file transport logs for development.
    public var link: String?
    /// Where a single POST stops these messages (RFC 8058); mail programs offer it as a button.
    public var unsubscribeURL: String?

    public init(
        from: Mailbox,
        to: Mailbox,
        subject: String,
        body: String,
        messageID: String,
        date: Date,
        link: String? = nil,
        unsubscribeURL: String? = nil
    ) {
        self.from = from
        self.to = to
        self.subject = subject
        self.body = body
        self.messageID = messageID
        self.date = date
        self.link = link
        self.unsubscribeURL = unsubscribeURL
    }
}

extension MailMessage.Mailbox {
    /// Reads `Name <address>` or a bare `address`, as the sender is written in settings.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let open = trimmed.lastIndex(of: "<"), trimmed.hasSuffix(">") {
            let name = trimmed[..<open].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: ["\""])
            let address = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
            guard address.contains("@") else { throw MailDeliveryError.permanent("sender '\(text)' has no address") }
            self.init(name: name.isEmpty ? nil : name, address: address)
        } else {
            guard trimmed.contains("@"), !trimmed.contains(" ") else {
                throw MailDeliveryError.permanent("sender '\(text)' is not an e-mail address")
            }
            self.init(name: nil, address: trimmed)
        }
    }
}
