import Foundation
import PostgresKit
import PostgresNIO
import SQLKit
import Testing
import VigilCore
import VigilTestSupport
@testable import VigilStore

@Suite("PostgreSQL runs")
struct PostgresRunTests {
    @Test(
        "suites marked for both databases run on PostgreSQL as well",
        .enabled(if: TestDatabase.postgresURL != nil, TestDatabase.postgresSkipReason)
    )
    func storesOpenOnPostgres() async throws {
        let url = try #require(TestDatabase.postgresURL)
        try await TestDatabase.$current.withValue(.postgres(url: url)) {
            try await TestStore.with { test in
                #expect(test.store.engine == .postgres)
                let version = try await test.store.reader.raw("SELECT version() AS v").first()?.decode(column: "v", as: String.self)
                #expect(version?.hasPrefix("PostgreSQL") == true)
            }
        }
    }

    @Test(
        "servers starting together on one schema migrate one after the other; another schema does not wait for them",
        .enabled(if: TestDatabase.postgresURL != nil, TestDatabase.postgresSkipReason)
    )
    func migrationLockPerSchema() async throws {
        let url = try #require(TestDatabase.postgresURL)
        let cipher = PersonalDataCipher(masterKey: TestStore.masterKey)
        let first = TestStore.Location.postgres(PostgresLocation(url: url, schema: TestDatabase.freshSchemaName()))
        let other = TestStore.Location.postgres(PostgresLocation(url: url, schema: TestDatabase.freshSchemaName()))
        defer { Task { await first.remove(); await other.remove() } }
        let store = try await first.open(cipher: cipher)
        // As a server still migrating the first schema would, one connection holds its lock.
        try await store.write { try await $0.raw("SELECT pg_advisory_lock(84445, hashtext(current_schema()))").run() }

        let otherStore = try await other.open(cipher: cipher)
        #expect(otherStore.engine == .postgres, "a store on another schema opens while the first schema is locked")
        await otherStore.close()

        let opened = Locked(false)
        let second = Task {
            let store = try await first.open(cipher: cipher)
            opened.withLock { $0 = true }
            await store.close()
        }
        try await Task.sleep(for: .seconds(1))
        #expect(!opened.withLock { $0 }, "a second server on the same schema waits for the one migrating")
        try await store.write { try await $0.raw("SELECT pg_advisory_unlock(84445, hashtext(current_schema()))").run() }
        try await second.value
        #expect(opened.withLock { $0 })
        await store.close()
    }

    @Test(
        "after the server ends every session the store connects again, but never finishes a cut-off transaction on a new connection",
        .enabled(if: TestDatabase.postgresURL != nil, TestDatabase.postgresSkipReason)
    )
    func reconnects() async throws {
        let url = try #require(TestDatabase.postgresURL)
        try await TestDatabase.$current.withValue(.postgres(url: url)) {
            try await TestStore.with { test in
                guard case .postgres(let location) = test.location else { return }
                _ = try await test.store.signatureWriter.sign(try await test.request(email: "before@example.org"))
                let versions = "SELECT CAST(SUM(version) AS BIGINT) AS v FROM petition_counters"
                let before = try await test.store.reader.raw(SQLQueryString(versions)).first()?.decode(column: "v", as: Int64.self)

                // A transaction under way when the server ends its session.
                await #expect(throws: StoreError.self) {
                    try await test.store.transaction { database in
                        try await database.raw("UPDATE petition_counters SET version = version + 1000").run()
                        try await Self.endSessions(of: location, url: url)
                        try await Task.sleep(for: .milliseconds(300))
                        try await database.raw("UPDATE petition_counters SET held_count = held_count + 1000").run()
                    }
                }

                // Every connection comes back for the next statement outside a transaction; one
                // sent while the loss was still being noticed may fail.
                var summary: OutboxSummary?
                for _ in 0..<5 where summary == nil {
                    summary = try? await test.store.outboxSummary()
                    if summary == nil { try await Task.sleep(for: .milliseconds(100)) }
                }
                #expect(summary?.queued == 1)
                _ = try await test.store.signatureWriter.sign(try await test.request(email: "after@example.org"))
                #expect(try await test.store.outboxSummary().queued == 2)
                let after = try await test.store.reader.raw(SQLQueryString(versions)).first()?.decode(column: "v", as: Int64.self)
                #expect(after == before, "the cut-off update is not there")
                let held = try await test.store.reader.raw("SELECT CAST(SUM(held_count) AS BIGINT) AS h FROM petition_counters").first()?
                    .decode(column: "h", as: Int64.self)
                #expect(held == 0, "the statement after the loss ran nowhere")
            }
        }
    }

    /// Ends every session of the store at `location`, as a restart or failover of the server would.
    static func endSessions(of location: PostgresLocation, url: String) async throws {
        let configuration = try SQLPostgresConfiguration(url: url).coreConfiguration
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: TestStore.quietLogger)
        let ended = try await connection.sql().raw(
            "SELECT COUNT(pg_terminate_backend(pid)) AS n FROM pg_stat_activity WHERE application_name = \(bind: location.applicationName)"
        ).first()?.decode(column: "n", as: Int.self)
        try await connection.close()
        #expect(ended == 6, "the writer's, the other writes' and four readers' sessions")
    }

    @Test(
        "a signature table that doubled is analysed at once, so the planner does not take it for empty for autovacuum's minute",
        .enabled(if: TestDatabase.postgresURL != nil, TestDatabase.postgresSkipReason)
    )
    func growingTableAnalysed() async throws {
        let url = try #require(TestDatabase.postgresURL)
        try await TestDatabase.$current.withValue(.postgres(url: url)) {
            try await TestStore.with { test in
                _ = try await test.petition()
                let writer = test.store.signatureWriter
                let lastAnalysed: () async throws -> Date? = {
                    let row = try await test.store.reader.raw(
                        "SELECT last_analyze AS at FROM pg_stat_user_tables WHERE schemaname = current_schema() AND relname = 'signatures'"
                    ).first()
                    return try row?.decode(column: "at", as: Date?.self)
                }
                #expect(try await lastAnalysed() == nil)

                var requests: [SigningRequest] = []
                for index in 0..<(PlannerStatistics.minimumGrowth + 50) {
                    requests.append(try await test.request(email: "grower\(index)@example.org"))
                }
                try await withThrowingTaskGroup(of: SigningOutcome.self) { group in
                    for request in requests { group.addTask { try await writer.sign(request) } }
                    try await group.waitForAll()
                }
                // The analysis runs beside the writes; autovacuum would take up to a minute, and sets another column.
                var analysed: Date?
                for _ in 0..<100 where analysed == nil {
                    try await Task.sleep(for: .milliseconds(100))
                    analysed = try await lastAnalysed()
                }
                #expect(analysed != nil)
                #expect(try await PlannerStatistics.rowsSeen(on: test.store.reader) >= PlannerStatistics.minimumGrowth)
            }
        }
    }

    @Test("a database URL's password never reaches a message; a URL that is not postgres:// is refused before connecting")
    func urlsInMessages() async throws {
        let redacted = PostgresLocation.redacted("postgres://vigil:s3cret@db.internal:5432/vigil")
        #expect(!redacted.contains("s3cret") && redacted.contains("db.internal"))
        await #expect {
            try await Store.openPostgres(
                PostgresLocation(url: "mysql://vigil:s3cret@db.internal/vigil"),
                cipher: PersonalDataCipher(masterKey: TestStore.masterKey), logger: TestStore.quietLogger
            )
        } throws: { error in
            "\(error)".contains("not a postgres:// URL") && !"\(error)".contains("s3cret")
        }
    }
}
