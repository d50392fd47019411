/// What became of one claimed outbox message, for ``Store/recordMail(_:)``.
public enum MailOutcome: Sendable, Equatable {
    /// Handed over to the mail server.
    case sent(id: Int64)
    /// Refused for now; tried again after `after`.
    case willRetry(id: Int64, error: String, after: Duration)
    /// Refused for good, or given up on: left for staff to look at.
    case failed(id: Int64, error: String)
    /// Not attempted: back in the queue as it was, for any sender to claim.
    case released(id: Int64)
}
