/// Something that delivers e-mail: SMTP in production, files in development, memory in tests.
public protocol MailTransport: Sendable {
    /// Hands one message over for delivery, returning once the receiving side accepted it.
    ///
    /// Throws ``MailDeliveryError/transient(_:)`` when trying again later may work (the server
    /// is down, busy or answered 4xx) and ``MailDeliveryError/permanent(_:)`` when it will not (5xx).
    func send(_ message: MailMessage) async throws
}

/// Why a message was not delivered, and whether trying again can help.
public enum MailDeliveryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Trying again later may work.
    case transient(String)
    /// Trying again will not work; staff must look at it.
    case permanent(String)

    public var description: String {
        switch self {
        case .transient(let reason): "temporary failure: \(reason)"
        case .permanent(let reason): "permanent failure: \(reason)"
        }
    }
}
