import Testing
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
}
