import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VigilCore
import VigilStore
import VigilTestSupport
@testable import VigilWeb

@Suite("Signatures that look automated", .onBothDatabases)
struct SigningGuardTests {
    static func held(_ app: TestApp) async throws -> [String] {
        try await app.store.heldSignatures(petitionID: app.petition().id, limit: 100).compactMap(\.holdReason).sorted()
    }

    @Test("a form sent back sooner than a person can fill it in is held; the signer sees the usual page")
    func tooFast() async throws {
        try await TestApp.with(configure: { $0.signMinimumSeconds = 3 }) { app, client in
            let quick = try await Browser(client, address: "198.51.100.1").sign(email: "quick@example.org")
            #expect(quick.status == .seeOther && quick.headers[.location]?.contains("check-email") == true)
            #expect(try await Self.held(app) == ["too-fast"])

            let person = Browser(client, address: "198.51.100.2")
            let page = try await person.get("/petitions/osce-moscow-mechanism")
            app.clock.advance(by: 4)
            let sent = try await person.post("/petitions/osce-moscow-mechanism/signatures", fields: [
                ("csrf", page.csrfToken ?? ""), ("lang", "en"), ("name", "Narine Petrosyan"),
                ("email", "narine@example.org"), ("country", "AM"),
            ])
            #expect(sent.status == .seeOther)
            #expect(try await Self.held(app) == ["too-fast"], "a person who took their time is not held")
            _ = try await app.confirmationMail(for: "narine@example.org")
        }
    }

    @Test("a throw-away mailbox, at the listed domain or below it, is held")
    func disposable() async throws {
        try await TestApp.with { app, client in
            _ = try await Browser(client, address: "198.51.100.3").sign(email: "bot@mailinator.com")
            _ = try await Browser(client, address: "198.51.100.4").sign(email: "bot@eu.mailinator.com")
            _ = try await Browser(client, address: "198.51.100.5").sign(email: "person@example.org")
            #expect(try await Self.held(app) == ["disposable-address", "disposable-address"])
        }
    }

    @Test("many signatures from one network are held once its limit is passed, whatever the addresses")
    func rangeLimit() async throws {
        try await TestApp.with(signRateLimit: 5, configure: { $0.rangeRateLimit = 3; $0.rangeRateLimitHourly = 3 }) { app, client in
            for index in 1...4 {
                _ = try await Browser(client, address: "203.0.113.\(index)").sign(email: "range\(index)@example.org")
            }
            _ = try await Browser(client, address: "198.51.100.77").sign(email: "elsewhere@example.org")
            #expect(try await Self.held(app) == ["range-limited"])
            let petition = try await app.petition()
            #expect(try await app.store.recount(petitionID: petition.id).pending == 4)
        }
    }
}

@Suite("Signing limits shared by servers on one PostgreSQL")
struct SharedSigningLimitsTests {
    @Test(
        "one address's signatures count against one limit, whichever server they reach; the windows are forgotten after an hour",
        .enabled(if: TestDatabase.postgresURL != nil, TestDatabase.postgresSkipReason)
    )
    func limitAcrossServers() async throws {
        let url = try #require(TestDatabase.postgresURL)
        try await TestDatabase.$current.withValue(.postgres(url: url)) {
            try await TestApp.with(signRateLimit: 3) { first, firstClient in
                #expect(first.store.engine == .postgres)
                // A second server on the same database, with the same master key.
                let second = try await TestApp.make(signRateLimit: 3, configure: { configuration in
                    configuration.databaseSchema = first.configuration.databaseSchema
                    configuration.masterKeyFile = first.folder.appendingPathComponent("keys/master.key").path
                })
                do {
                    try await second.server.application.test(.router) { secondClient in
                        var answers: [HTTPResponse.Status] = []
                        for index in 1...2 {
                            answers.append(try await Browser(firstClient, address: "192.0.2.10").sign(email: "first\(index)@example.org").status)
                            answers.append(try await Browser(secondClient, address: "192.0.2.10").sign(email: "second\(index)@example.org").status)
                        }
                        // A third address on the same network is not held by the address limit.
                        answers.append(try await Browser(secondClient, address: "192.0.2.11").sign(email: "neighbour@example.org").status)
                        #expect(answers == Array(repeating: .seeOther, count: 5), "every signer sees the usual answer")
                    }
                } catch {
                    await second.closeSharingDatabase()
                    throw error
                }
                // The schema stays: it is the first server's too.
                await second.closeSharingDatabase()
                #expect(try await SigningGuardTests.held(first) == ["rate-limited"], "the fourth from one address, on either server, is held")
                let petition = try await first.petition()
                #expect(try await first.store.recount(petitionID: petition.id).pending == 4)

                first.clock.advance(by: 2 * 3600)
                #expect(try await first.store.forgetEndedRateWindows() > 0)
                #expect(try await first.store.countInSharedWindows([RateWindow(key: "address:x", capacity: 1, seconds: 60)]) == [true])
            }
        }
    }
}
