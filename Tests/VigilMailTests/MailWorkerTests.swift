import Foundation
import Logging
import ServiceLifecycle
import Testing
import VigilCore
import VigilStore
import VigilTestSupport
@testable import VigilMail

/// A transport that answers as a script says, and keeps what it accepted.
final class ScriptedTransport: MailTransport {
    private let script: Locked<[MailDeliveryError?]>
    let delivered = Locked<[MailMessage]>([])

    init(_ script: [MailDeliveryError?]) {
        self.script = Locked(script)
    }

    func send(_ message: MailMessage) async throws {
        let next = script.withLock { $0.isEmpty ? nil : $0.removeFirst() }
        if let failure = next { throw failure }
        delivered.withLock { $0.append(message) }
    }
}

/// A transport that takes a while per message (10 ms unless told), as a remote server might, and counts them.
final class PacedTransport: MailTransport {
    let delivered = Locked(0)
    private let pause: Duration

    init(pause: Duration = .milliseconds(10)) {
        self.pause = pause
    }

    func send(_ message: MailMessage) async throws {
        try await Task.sleep(for: pause)
        delivered.withLock { $0 += 1 }
    }
}

@Suite("Mail worker", .onBothDatabases)
struct MailWorkerTests {
    static func worker(_ test: TestStore, transport: any MailTransport, maximumAttempts: Int = 12) async throws -> MailWorker {
        try await worker(test.store, transport: transport, settings: .init(firstRetryDelay: .seconds(30), maximumAttempts: maximumAttempts))
    }

    /// A worker sending from petition@example.org, so Message-IDs end in `@example.org>`.
    static func worker(_ store: Store, transport: any MailTransport, settings: MailWorker.Settings) async throws -> MailWorker {
        let composer = try await MailComposer(
            store: store,
            baseURL: "https://petition.example.org/",
            from: .init(name: "Vigil", address: "petition@example.org")
        )
        return MailWorker(store: store, transport: transport, composer: composer, settings: settings, logger: TestStore.quietLogger)
    }

    @Test("a confirmation e-mail holds the link, the expiry date and the petition's title")
    func composesConfirmation() async throws {
        try await TestStore.with { test in
            _ = try await test.store.signatureWriter.sign(try await test.request(email: "ani@example.org", name: "Ani Hakobyan"))
            let transport = ScriptedTransport([])
            #expect(try await Self.worker(test, transport: transport).deliverDueMail() == 1)
            let mail = try #require(transport.delivered.withLock { $0.first })
            #expect(mail.to.address == "ani@example.org")
            #expect(mail.to.name == "Ani Hakobyan")
            #expect(mail.subject == "Confirm your signature: Invoke the OSCE Moscow Mechanism for the 23 Armenians held in Baku")
            let link = try #require(mail.link)
            #expect(link.hasPrefix("https://petition.example.org/en/confirm/"), "the link keeps the signer's language")
            #expect(mail.body.contains(link))
            #expect(mail.body.contains("Hello Ani Hakobyan,"))
            #expect(mail.body.contains("The link works until September 28, 2026."))
            #expect(mail.messageID.hasSuffix("@example.org>"))
            #expect(try await test.store.outboxSummary() == OutboxSummary(sent: 1))
        }
    }

    @Test("in one round, each signer's e-mail carries the petition's title in their own language, without blank lines around the body")
    func roundInSeveralLanguages() async throws {
        try await TestStore.with { test in
            let petitionID = try await test.petition().id
            let signers: [(String, Language)] = [("en@example.org", .english), ("fr@example.org", .french), ("ru@example.org", .russian), ("fr2@example.org", .french)]
            for (address, language) in signers {
                let signature = try SignatureForm(name: "Ani Hakobyan", email: address, country: "FR").validated().get()
                _ = try await test.store.signatureWriter.sign(
                    SigningRequest(petitionID: petitionID, signature: signature, language: language, textHash: TestStore.textHash)
                )
            }
            let transport = ScriptedTransport([])
            #expect(try await Self.worker(test, transport: transport).deliverDueMail() == 4)
            let subjects = Dictionary(uniqueKeysWithValues: transport.delivered.withLock { $0 }.map { ($0.to.address, $0.subject) })
            #expect(subjects["en@example.org"]?.hasSuffix("Invoke the OSCE Moscow Mechanism for the 23 Armenians held in Baku") == true)
            #expect(subjects["fr@example.org"]?.hasSuffix("Invoquer le Mécanisme de Moscou de l’OSCE pour les 23 Arméniens détenus à Bakou") == true)
            #expect(subjects["fr2@example.org"] == subjects["fr@example.org"])
            #expect(subjects["ru@example.org"]?.hasSuffix("Задействовать Московский механизм ОБСЕ в защиту 23 армян, удерживаемых в Баку") == true)
            for mail in transport.delivered.withLock({ $0 }) {
                #expect(!mail.body.hasPrefix("\n") && mail.body.hasSuffix("\n") && !mail.body.hasSuffix("\n\n"))
            }
        }
    }

    @Test("on shutdown the worker ends the round it is in and leaves the rest of a long queue for the next start")
    func stopsWithinARound() async throws {
        try await TestStore.with { test in
            for index in 0..<30 {
                _ = try await test.store.signatureWriter.sign(try await test.request(email: "signer\(index)@example.org"))
            }
            let transport = PacedTransport()
            let worker = try await Self.worker(test.store, transport: transport, settings: .init(batchSize: 5))
            let services = ServiceGroup(configuration: .init(services: [worker], logger: TestStore.quietLogger))
            try await withThrowingTaskGroup { tasks in
                tasks.addTask { try await services.run() }
                while transport.delivered.withLock({ $0 }) == 0 {
                    try await Task.sleep(for: .milliseconds(5))
                }
                await services.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
            let sent = transport.delivered.withLock { $0 }
            #expect((1...5).contains(sent), "at most the round of 5 under way when the shutdown came")
            #expect(try await test.store.outboxSummary() == OutboxSummary(queued: 30 - sent, sent: sent))
        }
    }

    @Test("a round that has used half its lease puts the messages it has not tried back in the queue, untried")
    func slowRoundReleasesTheRest() async throws {
        try await TestStore.with { test in
            for index in 0..<4 {
                _ = try await test.store.signatureWriter.sign(try await test.request(email: "slow\(index)@example.org"))
            }
            // Half of a 2 s lease is 1 s: at 600 ms a message, the third attempt would start after it.
            let transport = PacedTransport(pause: .milliseconds(600))
            let worker = try await Self.worker(test.store, transport: transport, settings: .init(batchSize: 4, lease: .seconds(2)))
            #expect(try await worker.deliverDueMail() == 4)
            let sent = transport.delivered.withLock { $0 }
            #expect((1...2).contains(sent))
            #expect(try await test.store.outboxSummary() == OutboxSummary(queued: 4 - sent, sent: sent))
            let released = try await test.store.outboxEntries(status: .queued, limit: 10)
            #expect(released.count == 4 - sent)
            #expect(released.allSatisfy { $0.attempts == 0 && $0.lastError == nil }, "a message not tried has no attempt counted")
        }
    }

    @Test("a send cut short by the worker's cancellation leaves its message queued, with no attempt or error counted")
    func cancelledSendIsNoAttempt() async throws {
        try await TestStore.with { test in
            for index in 0..<3 {
                _ = try await test.store.signatureWriter.sign(try await test.request(email: "cut\(index)@example.org"))
            }
            let worker = try await Self.worker(test, transport: PacedTransport(pause: .seconds(60)))
            let round = Task { try await worker.deliverDueMail() }
            while try await test.store.outboxSummary().sending < 3 {
                try await Task.sleep(for: .milliseconds(5))
            }
            round.cancel()
            #expect(try await round.value == 3)
            #expect(try await test.store.outboxSummary() == OutboxSummary(queued: 3, sent: 0))
            let queued = try await test.store.outboxEntries(status: .queued, limit: 10)
            #expect(queued.count == 3 && queued.allSatisfy { $0.attempts == 0 && $0.lastError == nil }, "\(queued)")
        }
    }

    @Test("a temporary failure is retried after a growing delay, then sent once")
    func retriesTemporaryFailure() async throws {
        try await TestStore.with { test in
            _ = try await test.store.signatureWriter.sign(try await test.request(email: "retry@example.org"))
            let transport = ScriptedTransport([.transient("451 try later"), .transient("connection refused")])
            let worker = try await Self.worker(test, transport: transport)

            #expect(try await worker.deliverDueMail() == 1)
            #expect(try await test.store.outboxSummary() == OutboxSummary(queued: 1))
            #expect(try await worker.deliverDueMail() == 0, "not due before its delay")
            test.clock.advance(by: 31)
            #expect(try await worker.deliverDueMail() == 1)
            test.clock.advance(by: 31)
            #expect(try await worker.deliverDueMail() == 0, "the second delay is twice the first")
            test.clock.advance(by: 30)
            #expect(try await worker.deliverDueMail() == 1)
            #expect(transport.delivered.withLock { $0.count } == 1)
            #expect(try await test.store.outboxSummary() == OutboxSummary(sent: 1))
            test.clock.advance(by: 3600)
            #expect(try await worker.deliverDueMail() == 0, "a sent message is never sent again")
        }
    }

    @Test("a permanent failure is marked failed with the server's words, and not retried")
    func permanentFailure() async throws {
        try await TestStore.with { test in
            _ = try await test.store.signatureWriter.sign(try await test.request(email: "nobody@example.org"))
            let transport = ScriptedTransport([.permanent("RCPT TO answered 550 no such user")])
            let worker = try await Self.worker(test, transport: transport)
            #expect(try await worker.deliverDueMail() == 1)
            #expect(try await test.store.outboxSummary() == OutboxSummary(failed: 1))
            let id = try #require(try await test.store.claimDueMail(limit: 1, lease: .seconds(1)).first?.id ?? Optional(1))
            #expect(try await test.store.lastMailError(id: id)?.contains("550") == true)
            test.clock.advance(by: 24 * 3600)
            #expect(try await worker.deliverDueMail() == 0)
        }
    }

    @Test("a message that keeps failing gives up after the last attempt")
    func givesUp() async throws {
        try await TestStore.with { test in
            _ = try await test.store.signatureWriter.sign(try await test.request(email: "flaky@example.org"))
            let transport = ScriptedTransport(Array(repeating: .transient("timeout"), count: 5))
            let worker = try await Self.worker(test, transport: transport, maximumAttempts: 3)
            for _ in 0..<3 {
                _ = try await worker.deliverDueMail()
                test.clock.advance(by: 24 * 3600)
            }
            #expect(try await test.store.outboxSummary() == OutboxSummary(failed: 1))
        }
    }

    @Test("backoff doubles from the first delay up to the longest")
    func backoff() {
        let settings = MailWorker.Settings(firstRetryDelay: .seconds(30), longestRetryDelay: .seconds(3600))
        #expect(settings.retryDelay(afterFailures: 1) == .seconds(30))
        #expect(settings.retryDelay(afterFailures: 2) == .seconds(60))
        #expect(settings.retryDelay(afterFailures: 4) == .seconds(240))
        #expect(settings.retryDelay(afterFailures: 30) == .seconds(3600))
    }

    @Test("the worker composes and sends on a thread that yields the CPU to requests, before and after it awaits")
    func lowPriorityThread() async throws {
        let niceness = try await MailWorker.thread.run {
            let before = try Self.nicenessOfCurrentThread()
            try await Task.sleep(for: .milliseconds(5))
            return [before, try Self.nicenessOfCurrentThread()]
        }
        #expect(niceness == [10, 10])
        #expect(try Self.nicenessOfCurrentThread() == 0, "the test's own thread keeps the process's priority")
    }

    /// The nice value of the thread this runs on, from Linux's `/proc/thread-self/stat`.
    static func nicenessOfCurrentThread() throws -> Int {
        let stat = try String(contentsOfFile: "/proc/thread-self/stat", encoding: .utf8)
        // Fields after the command name, which is in parentheses and may hold spaces; the nice value is field 19.
        let fields = stat[stat.index(after: try #require(stat.lastIndex(of: ")")))...].split(separator: " ")
        return try #require(Int(fields[16]))
    }

    @Test("the file transport writes a readable .eml file")
    func fileTransport() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-mail-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let transport = FileMailTransport(folder: folder, logger: TestStore.quietLogger)
        try await transport.send(MailMessageTests.message(body: "Line one\nhttps://example.org/confirm/abc"))
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(files.count == 1)
        #expect(files.first?.hasSuffix(".eml") == true, "no partial file is left behind")
        let text = try String(contentsOf: folder.appendingPathComponent(files[0]), encoding: .utf8)
        #expect(text.contains("Message-ID: <abc123@example.org>"))
        #expect(text.contains("https://example.org/confirm/abc"))
    }
}
