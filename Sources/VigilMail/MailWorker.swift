import Foundation
import Logging
import ServiceLifecycle
import VigilCore
import VigilStore

/// Delivers the outbox. Runs as a service beside the web server: it sends what is due, retries
/// temporary failures with exponential backoff, marks permanent ones for staff, and never sends
/// a message again once a send succeeded and was recorded.
public final class MailWorker: Service, Sendable {
    /// How the worker paces itself.
    public struct Settings: Sendable {
        /// How often to look for due retries when no new mail arrives.
        public var pollInterval: Duration
        /// Messages taken, sent and recorded together in one round.
        public var batchSize: Int
        /// How long the messages of a round are reserved; after that they may be taken again.
        /// A round starts no attempt after half of it, and it must be longer than half of it
        /// plus one attempt, or a slow server could get a second copy from another worker while
        /// the first is still sending.
        public var lease: Duration
        /// Delay after the first failure; doubled after each further one.
        public var firstRetryDelay: Duration
        public var longestRetryDelay: Duration
        /// Attempts before a message that keeps failing temporarily is marked failed.
        public var maximumAttempts: Int

        public init(
            pollInterval: Duration = .seconds(15),
            batchSize: Int = 20,
            lease: Duration = .seconds(900),
            firstRetryDelay: Duration = .seconds(30),
            longestRetryDelay: Duration = .seconds(6 * 3600),
            maximumAttempts: Int = 12
        ) {
            self.pollInterval = pollInterval
            self.batchSize = batchSize
            self.lease = lease
            self.firstRetryDelay = firstRetryDelay
            self.longestRetryDelay = longestRetryDelay
            self.maximumAttempts = maximumAttempts
        }

        /// The wait before the next attempt, after `failures` failed attempts.
        public func retryDelay(afterFailures failures: Int) -> Duration {
            let factor = 1 << min(max(failures - 1, 0), 20)
            return min(firstRetryDelay * factor, longestRetryDelay)
        }
    }

    private let store: Store
    private let transport: any MailTransport
    private let composer: MailComposer
    private let settings: Settings
    private let logger: Logger
    private let doorbell = Doorbell()

    public init(store: Store, transport: any MailTransport, composer: MailComposer, settings: Settings = Settings(), logger: Logger) {
        self.store = store
        self.transport = transport
        self.composer = composer
        self.settings = settings
        self.logger = logger
    }

    /// Asks the worker to look at the outbox now rather than at its next poll.
    public func wake() {
        doorbell.ring()
    }

    /// The thread the worker composes and sends on, at a lower priority than the requests.
    ///
    /// Under a signing spike the two kinds of work share the cores. Acknowledging a signature
    /// makes it safe, and its e-mail can follow a few seconds later; so while requests keep
    /// the cores busy, the kernel gives this thread a small share, and the e-mails queued
    /// meanwhile go out as soon as the cores are free. The worker's transactions still run on
    /// the writing thread, at full priority, so a turn on the database is never held up.
    static let thread = DedicatedThread(niceness: 10)

    public func run() async throws {
        try await Self.thread.run { try await deliverUntilShutdown() }
    }

    private func deliverUntilShutdown() async throws {
        let mailQueued = store.mailQueued
        await withDiscardingTaskGroup { group in
            group.addTask {
                for await _ in mailQueued { self.wake() }
            }
            await withGracefulShutdownHandler {
                while !Task.isCancelled && !Task.isShuttingDownGracefully {
                    do {
                        // A full round means more may be due; a shutdown ends the rounds, so a long
                        // queue waits for the next start rather than holding the process up.
                        while try await self.deliverDueMail() == self.settings.batchSize, !Task.isShuttingDownGracefully {}
                    } catch {
                        self.logger.error("cannot read the outbox: \(error)")
                    }
                    await self.doorbell.wait(upTo: self.settings.pollInterval)
                }
            } onGracefulShutdown: {
                self.doorbell.ring()
            }
            group.cancelAll()
        }
    }

    /// Sends one round of due messages, up to the batch size, and returns how many were taken.
    ///
    /// The round's messages are taken together and their outcomes recorded together: two
    /// commits a round, not two a message, because each commit takes its turn on the database
    /// beside the signature writer. A round that has used half its lease (a slow or silent
    /// mail server) puts the messages it has not tried back in the queue, so no message is
    /// still being sent when its lease runs out and another worker may take it.
    @discardableResult
    public func deliverDueMail() async throws -> Int {
        let messages = try await store.claimDueMail(limit: settings.batchSize, lease: settings.lease)
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: settings.lease / 2)
        var outcomes: [MailOutcome] = []
        var lookups = MailComposer.RoundLookups()
        for message in messages {
            outcomes.append(clock.now < deadline ? await attempt(message, lookups: &lookups) : .released(id: message.id))
        }
        do {
            // Recorded even when the worker is being cancelled: messages it never sent would
            // otherwise be held as being sent until their lease ends.
            try await Task { [store] in try await store.recordMail(outcomes) }.value
        } catch {
            // The messages left; only the record failed. When their lease ends they may go out
            // once more, with the same Message-ID, so receivers can recognise the repeat.
            logger.error("e-mail attempted but not recorded: \(error)", metadata: ["outbox": "\(messages.map(\.id))"])
        }
        return messages.count
    }

    /// Composes and sends one message, and says what became of it.
    private func attempt(_ outboxMessage: OutboxMessage, lookups: inout MailComposer.RoundLookups) async -> MailOutcome {
        let attempt = outboxMessage.attempts + 1
        let metadata: Logger.Metadata = ["outbox": "\(outboxMessage.id)", "attempt": "\(attempt)"]
        do {
            let mail: MailMessage
            do {
                mail = try await composer.compose(outboxMessage, lookups: &lookups)
            } catch let problem as MailComposer.Problem {
                throw MailDeliveryError.permanent("\(problem)")
            }
            try await transport.send(mail)
            logger.info("e-mail delivered", metadata: metadata)
            return .sent(id: outboxMessage.id)
        } catch MailDeliveryError.permanent(let words) {
            // Many servers repeat the address ("550 <anna@example.org>: no such user"); the
            // answer is logged and kept unsealed for staff, so the address is masked in it.
            let reason = EmailAddress.masking(outboxMessage.recipient, in: words)
            logger.error("e-mail refused for good: \(reason)", metadata: metadata)
            return .failed(id: outboxMessage.id, error: reason)
        } catch where Task.isCancelled {
            // The worker is being stopped, which says nothing about the message or the mail
            // server: it goes back to the queue untried, without an attempt or an error counted.
            logger.notice("e-mail left in the queue: the worker is stopping", metadata: metadata)
            return .released(id: outboxMessage.id)
        } catch {
            let reason = EmailAddress.masking(outboxMessage.recipient, in: (error as? MailDeliveryError).map { "\($0)" } ?? "\(error)")
            if attempt >= settings.maximumAttempts {
                logger.error("e-mail failed \(attempt) times, giving up: \(reason)", metadata: metadata)
                return .failed(id: outboxMessage.id, error: "gave up after \(attempt) attempts: \(reason)")
            }
            let delay = settings.retryDelay(afterFailures: attempt)
            logger.warning("e-mail will be retried in \(delay): \(reason)", metadata: metadata)
            return .willRetry(id: outboxMessage.id, error: reason, after: delay)
        }
    }
}
