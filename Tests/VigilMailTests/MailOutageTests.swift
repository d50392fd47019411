import Foundation
import Logging
import Testing
import VigilCore
import VigilStore
import VigilTestSupport
@testable import VigilMail

/// The real mail worker, on a real SQLite file, against a real SMTP server (aiosmtpd) that goes
/// through an outage. The store's clock is the test's, so backoff delays pass at once; the SMTP
/// timeouts are real and short.
@Suite("Mail outages", .onBothDatabases)
struct MailOutageTests {
    static let settings = MailWorker.Settings(
        batchSize: 20, lease: .seconds(60), firstRetryDelay: .seconds(10), longestRetryDelay: .seconds(80), maximumAttempts: 10
    )

    /// A transport with short timeouts, so tests of a silent server are quick; a `patient` one, for
    /// a test that needs every message through even while the whole suite keeps the machine busy
    /// (a connection was seen to take over 2 s then).
    static func transport(port: Int, patient: Bool = false) throws -> SMTPMailTransport {
        try SMTPMailTransport(
            settings: SMTPSettings(
                host: "127.0.0.1", port: port, security: .none,
                connectTimeout: .seconds(patient ? 20 : 2), replyTimeout: .seconds(patient ? 20 : 1)
            ),
            logger: TestStore.quietLogger
        )
    }

    /// Every message in the outbox, by id, after checking that none is lost or left half-sent:
    /// the outbox holds exactly `ids`, each sent, waiting or failed.
    static func accountedFor(
        _ store: Store, _ ids: [Int64], sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> [Int64: OutboxEntry] {
        let entries = try await store.outboxEntries(limit: 100)
        #expect(Set(entries.map(\.id)) == Set(ids), "a message went missing or appeared", sourceLocation: sourceLocation)
        #expect(entries.allSatisfy { $0.status != .sending }, "a message was left half-sent", sourceLocation: sourceLocation)
        return Dictionary(uniqueKeysWithValues: entries.map { ($0.id, $0) })
    }

    /// Checks that each message in `ids` waits for a next attempt `delay` seconds from now, after
    /// `attempts` attempts, with an error that contains `error`.
    static func waiting(
        _ state: [Int64: OutboxEntry], _ ids: [Int64], attempts: Int, delay: TimeInterval, error: String, now: Date,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        for id in ids {
            guard let entry = state[id] else {
                Issue.record("message \(id) is missing", sourceLocation: sourceLocation)
                continue
            }
            #expect(entry.status == .queued, "message \(id)", sourceLocation: sourceLocation)
            #expect(entry.attempts == attempts, "message \(id)", sourceLocation: sourceLocation)
            #expect(entry.nextAttemptAt == now.addingTimeInterval(delay), "message \(id)", sourceLocation: sourceLocation)
            #expect(entry.lastError?.contains(error) == true, "message \(id): \(entry.lastError ?? "no error")", sourceLocation: sourceLocation)
        }
    }

    @Test(
        "down, 4xx, 5xx for one recipient, slow, healthy: mail waits with growing delays, the refused one is failed, every other arrives once",
        .enabled(if: SMTPTestServer.isAvailable, SMTPTestServer.unavailableReason)
    )
    func outage() async throws {
        try await TestStore.with { test in
            let store = test.store
            let port = try await SMTPTestServer.unusedPort()
            let worker = try await MailWorkerTests.worker(store, transport: try Self.transport(port: port), settings: Self.settings)
            for address in ["ani@example.org", "bob@example.org", "bounce@example.org"] {
                _ = try await store.signatureWriter.sign(try await test.request(email: address))
            }
            var ids = try await store.outboxEntries(limit: 100).map(\.id).sorted()
            try #require(ids.count == 3)
            let (first, bounce) = (Array(ids[0..<2]), ids[2])

            // 1. Nothing listens on the port.
            #expect(try await worker.deliverDueMail() == 3)
            var state = try await Self.accountedFor(store, ids)
            Self.waiting(state, ids, attempts: 1, delay: 10, error: "cannot connect to 127.0.0.1 port \(port)", now: test.clock.now)
            #expect(try await worker.deliverDueMail() == 0, "nothing is due before its delay")
            test.clock.advance(by: 10)
            #expect(try await worker.deliverDueMail() == 3)
            state = try await Self.accountedFor(store, ids)
            Self.waiting(state, ids, attempts: 2, delay: 20, error: "cannot connect", now: test.clock.now)

            // 2. The server is back on the same port but answers 451 to every message.
            let server = try await SMTPTestServer.start(port: port)
            defer { server.stop() }
            try await server.command("refuse 451")
            test.clock.advance(by: 20)
            #expect(try await worker.deliverDueMail() == 3)
            state = try await Self.accountedFor(store, ids)
            Self.waiting(state, ids, attempts: 3, delay: 40, error: "end of message answered 451", now: test.clock.now)
            #expect(try server.messages().isEmpty)

            // 3. It accepts again, except one recipient, which it refuses for good with 550.
            try await server.command("healthy")
            try await server.command("reject 550 bounce@example.org")
            test.clock.advance(by: 40)
            #expect(try await worker.deliverDueMail() == 3)
            state = try await Self.accountedFor(store, ids)
            for id in first {
                #expect(state[id]?.status == .sent)
                #expect(state[id]?.attempts == 4)
            }
            let refused = try #require(state[bounce])
            #expect(refused.status == .failed)
            #expect(refused.attempts == 4)
            let refusal = try #require(refused.lastError)
            #expect(refusal.contains("RCPT TO answered 550 5.1.1"), "\(refusal)")
            #expect(refusal.contains("no such user"), "the server's words are kept: \(refusal)")
            #expect(refusal.contains("<b…@example.org>") && !refusal.contains("bounce@"), "the address the server repeated is masked: \(refusal)")
            #expect(refused.maskedRecipient == "b…@example.org")
            #expect(try server.messages().count == 2)

            // Two more people sign while the server is about to slow down.
            for address in ["carol@example.org", "dan@example.org"] {
                _ = try await store.signatureWriter.sign(try await test.request(email: address))
            }
            ids = try await store.outboxEntries(limit: 100).map(\.id).sorted()
            try #require(ids.count == 5)
            let later = Array(ids[3...])

            // 4. The server takes longer to answer than the worker waits.
            try await server.command("delay 3")
            #expect(try await worker.deliverDueMail() == 2, "only the two new messages are due: sent and failed ones are not taken")
            let slowPhaseEnded = ContinuousClock.now
            state = try await Self.accountedFor(store, ids)
            Self.waiting(state, later, attempts: 1, delay: 10, error: "end of message: no reply within 1 s", now: test.clock.now)
            #expect(state[bounce]?.status == .failed)

            // 5. Healthy again.
            try await server.command("healthy")
            test.clock.advance(by: 10)
            #expect(try await worker.deliverDueMail() == 2)
            state = try await Self.accountedFor(store, ids)
            #expect(try await store.outboxSummary() == OutboxSummary(sent: 4, failed: 1))

            // A server that stored a message after the worker gave up waiting would have done so
            // by now; each message must have arrived exactly once, and the refused one never.
            try await Task.sleep(until: slowPhaseEnded + .seconds(4), clock: .continuous)
            test.clock.advance(by: 24 * 3600)
            #expect(try await worker.deliverDueMail() == 0, "a sent message is never sent again")
            let received = Dictionary(grouping: try server.messages(), by: \.messageId).mapValues(\.count)
            let sent = state.values.filter { $0.status == .sent }.map { "<\($0.messageID)@example.org>" }
            #expect(received == Dictionary(uniqueKeysWithValues: sent.map { ($0, 1) }))
            #expect(received["<\(refused.messageID)@example.org>"] == nil)
        }
    }

    @Test(
        "a message the server accepted but the worker never recorded goes again with the same Message-ID; a recorded one never does",
        .enabled(if: SMTPTestServer.isAvailable, SMTPTestServer.unavailableReason)
    )
    func crashBetweenSendingAndRecording() async throws {
        try await TestStore.with { test in
            // Started once the store is open, which on a busy PostgreSQL can take a while, so the
            // server's own lifetime is spent on the test.
            let server = try await SMTPTestServer.start()
            defer { server.stop() }
            _ = try await test.store.signatureWriter.sign(try await test.request(email: "ani@example.org"))
            // A timeout here would only retry later on the test's stopped clock, and prove nothing.
            let stalling = StallingTransport(try Self.transport(port: server.port, patient: true))
            let first = try await MailWorkerTests.worker(test.store, transport: stalling, settings: Self.settings)
            // The first worker hands the message over and then stops before it records the
            // success, as a process killed at that moment would.
            let finished = Locked<String?>(nil)
            let stopped = Task {
                do {
                    let taken = try await first.deliverDueMail()
                    finished.withLock { $0 = "returned \(taken)" }
                } catch {
                    finished.withLock { $0 = "threw \(error)" }
                    throw error
                }
            }
            // Generous: with the whole suite running on two cores, the hand-over can take seconds.
            let deadline = ContinuousClock.now + .seconds(60)
            while try server.messages().isEmpty && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            let handedOver = try server.messages().count
            let outbox = try await test.store.outboxEntries(limit: 10)
            try #require(handedOver == 1, "the first worker \(finished.withLock { $0 } ?? "is still running"); outbox \(outbox)")

            // The server starts again on the same database.
            let restarted = try await test.open()
            do {
                let second = try await MailWorkerTests.worker(
                    restarted, transport: try Self.transport(port: server.port, patient: true), settings: Self.settings
                )
                #expect(try await second.deliverDueMail() == 0, "the lease keeps a second worker off while the first may still be sending")
                test.clock.advance(by: 61)
                #expect(try await second.deliverDueMail() == 1, "once the lease ran out, the message goes again")

                // The test server may store a message a moment after it accepted it.
                let stored = ContinuousClock.now + .seconds(20)
                while try server.messages().count < 2 && ContinuousClock.now < stored {
                    try await Task.sleep(for: .milliseconds(20))
                }
                let received = try server.messages()
                try #require(received.count == 2)
                let entry = try #require(try await restarted.outboxEntries(limit: 10).first)
                #expect(entry.status == .sent)
                #expect(received.map(\.messageId) == Array(repeating: "<\(entry.messageID)@example.org>", count: 2),
                        "the repeat has the same Message-ID, so the receiving side can drop it")

                // The first worker comes back to life; its failure cannot undo the recorded success.
                stopped.cancel()
                _ = try? await stopped.value
                #expect(try await restarted.outboxEntries(limit: 10).first?.status == .sent)
                for _ in 0..<3 {
                    test.clock.advance(by: 3600)
                    #expect(try await second.deliverDueMail() == 0, "a recorded success is never sent again")
                    #expect(try await first.deliverDueMail() == 0)
                }
                #expect(try server.messages().count == 2)
            } catch {
                await restarted.close()
                throw error
            }
            await restarted.close()
        }
    }
}

/// Hands the message to a real transport, then never returns (until cancelled): the moment
/// between the server's acceptance and the worker's record, held open.
final class StallingTransport: MailTransport {
    let transport: any MailTransport

    init(_ transport: any MailTransport) {
        self.transport = transport
    }

    func send(_ message: MailMessage) async throws {
        try await transport.send(message)
        try await Task.sleep(for: .seconds(3600))
    }
}
