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
        /// Messages sent per round.
        public var batchSize: Int
        /// How long a message taken for sending is reserved; after that it may be taken again.
        /// It must be longer than one attempt can last, or a slow server could get a second copy
        /// from another worker while the first is still sending.
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

    public func run() async throws {
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
    /// Each message is taken just before it is sent, so its lease covers its own attempt only,
    /// however slowly the messages before it went.
    @discardableResult
    public func deliverDueMail() async throws -> Int {
        var taken = 0
        while taken < settings.batchSize, let message = try await store.claimDueMail(limit: 1, lease: settings.lease).first {
            taken += 1
            await deliver(message)
        }
        return taken
    }

    private func deliver(_ outboxMessage: OutboxMessage) async {
        let attempt = outboxMessage.attempts + 1
        let metadata: Logger.Metadata = ["outbox": "\(outboxMessage.id)", "attempt": "\(attempt)"]
        do {
            let mail: MailMessage
            do {
                mail = try await composer.compose(outboxMessage)
            } catch let problem as MailComposer.Problem {
                throw MailDeliveryError.permanent("\(problem)")
            }
            try await transport.send(mail)
        } catch MailDeliveryError.permanent(let words) {
            // Many servers repeat the address ("550 <anna@example.org>: no such user"); the
            // answer is logged and kept unsealed for staff, so the address is masked in it.
            let reason = EmailAddress.masking(outboxMessage.recipient, in: words)
            logger.error("e-mail refused for good: \(reason)", metadata: metadata)
            try? await store.markMailFailed(id: outboxMessage.id, error: reason)
            return
        } catch {
            let reason = EmailAddress.masking(outboxMessage.recipient, in: (error as? MailDeliveryError).map { "\($0)" } ?? "\(error)")
            if attempt >= settings.maximumAttempts {
                logger.error("e-mail failed \(attempt) times, giving up: \(reason)", metadata: metadata)
                try? await store.markMailFailed(id: outboxMessage.id, error: "gave up after \(attempt) attempts: \(reason)")
            } else {
                let delay = settings.retryDelay(afterFailures: attempt)
                logger.warning("e-mail will be retried in \(delay): \(reason)", metadata: metadata)
                try? await store.markMailForRetry(id: outboxMessage.id, error: reason, retryAfter: delay)
            }
            return
        }
        do {
            try await store.markMailSent(id: outboxMessage.id)
            logger.info("e-mail delivered", metadata: metadata)
        } catch {
            // The message left; only the record failed. When the lease ends it may go out once
            // more, with the same Message-ID, so receivers can recognise the repeat.
            logger.error("e-mail sent but not recorded as sent: \(error)", metadata: metadata)
        }
    }
}
