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
