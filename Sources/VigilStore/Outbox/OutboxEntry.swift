import Foundation

/// An outbox message as staff see it: what it is and how its delivery went, never its contents,
/// and its recipient masked (`a…@example.org`).
public struct OutboxEntry: Sendable, Equatable {
    /// Where a message is in its delivery.
    public enum Status: String, Sendable, CaseIterable {
        /// Waiting for its first attempt or for its next one.
        case queued
        /// Taken by the mail worker, which holds a lease on it.
        case sending
        /// Accepted by the mail server; it is never sent again, and the daily privacy run deletes it
        /// after `MAIL_HISTORY_DAYS`.
        case sent
        /// Refused for good, or given up on; it waits for staff to retry it, until the daily
        /// privacy run deletes it with the sent messages.
        case failed
    }

    public let id: Int64
    public let kind: OutboxMessage.Kind
    public let status: Status
    /// The recipient, masked.
    public let maskedRecipient: String
    /// Delivery attempts made so far.
    public let attempts: Int
    /// When a waiting message is due.
    public let nextAttemptAt: Date
    /// What the last failed attempt met, as the worker recorded it.
    public let lastError: String?
    public let createdAt: Date
    public let sentAt: Date?
    /// The unique part of the Message-ID, the same on every attempt.
    public let messageID: String
}
