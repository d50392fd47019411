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
