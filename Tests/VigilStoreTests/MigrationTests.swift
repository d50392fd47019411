import Foundation
import SQLKit
import Testing
import VigilCore
import VigilTestSupport
@testable import VigilStore

@Suite("Migrations", .onBothDatabases)
struct MigrationTests {
    @Test("reopening a migrated database applies nothing twice and keeps the data")
    func reopen() async throws {
        let test = try await TestStore.make()
        let request = try await test.request(email: "keep@example.org")
        _ = try await test.store.signatureWriter.sign(request)
        test.store.signatureWriter.stopAccepting()
        _ = try? await test.writerTask.value
        await test.store.close()

        let reopened = try await test.open()
        let petition = try #require(try await reopened.petition(slug: "osce-moscow-mechanism"))
        #expect(try await reopened.recount(petitionID: petition.id).pending == 1)
        #expect(try await reopened.hasContent())
        await reopened.close()
        try? FileManager.default.removeItem(at: test.folder)
    }

    @Test("the petition page's list of public signers reads its own index, not every confirmed signature")
    func publicSignersIndex() async throws {
        try await TestStore.with { test in
            let plan = try await Self.plan(of: Store.publicSignersQuery(petitionID: 1, limit: 10), in: test.store)
            #expect(plan.contains("signatures_public"), "\(plan)")
            Self.expectNoSort(plan)
        }
    }

    @Test("staff's lists of held and of counted signatures, and the dossier's, read the indexes by standing")
    func standingIndexes() async throws {
        try await TestStore.with { test in
            let held = try await Self.plan(of: Store.heldSignaturesQuery(petitionID: 1, limit: 10), in: test.store)
            #expect(held.contains("signatures_held"), "\(held)")
            Self.expectNoSort(held)
            let queue = try await Self.plan(of: Store.moderationQueueQuery(petitionID: 1, limit: 10), in: test.store)
            #expect(queue.contains("signatures_counted"), "\(queue)")
            let named = try await Self.plan(of: Store.namedSignatoriesQuery(petitionID: 1, after: -1, before: 10, limit: 10), in: test.store)
            #expect(named.contains("signatures_counted"), "\(named)")
            Self.expectNoSort(named)
        }
    }

    @Test("the signature states that /metrics reports are counted from indexes, without reading the table")
    func signatureStatesFromIndexes() async throws {
        try await TestStore.with { test in
            let plan = try await Self.plan(of: Store.signatureStatesQuery, in: test.store)
            for index in ["signatures_counted", "signatures_held", "signatures_revoked"] {
                #expect(plan.contains(index), "\(index) in\n\(plan)")
            }
            let tableReads = plan.split(separator: "\n").filter {
                ($0.contains("SCAN signatures") && !$0.contains("INDEX")) || $0.contains("Seq Scan on signatures")
            }
            #expect(tableReads.isEmpty, "no pass over the table's rows\n\(plan)")
        }
    }

    /// Expects a plan that reads rows in the order the query asks for, with no sort of its own.
    private static func expectNoSort(_ plan: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(
            !plan.localizedCaseInsensitiveContains("temp b-tree") && !plan.contains("Sort"),
            "no sort: the index gives the order\n\(plan)", sourceLocation: sourceLocation
        )
    }

    /// How the database would run `query`. On PostgreSQL a full scan is cheapest on tables this
    /// small, so it is turned off for the question: the plan then shows which index fits.
    private static func plan(of query: SQLQueryString, in store: Store) async throws -> String {
        let database = store.connections.otherWrites
        switch store.engine {
        case .sqlite:
            return try await database.raw(("EXPLAIN QUERY PLAN " as SQLQueryString) + query).all()
                .map { try $0.decode(column: "detail", as: String.self) }.joined(separator: "\n")
        case .postgres:
            try await database.raw("SET enable_seqscan = off").run()
            let plan = try await database.raw(("EXPLAIN " as SQLQueryString) + query).all()
                .map { try $0.decode(column: "QUERY PLAN", as: String.self) }.joined(separator: "\n")
            try await database.raw("RESET enable_seqscan").run()
            return plan
        }
    }

    @Test("a database from a newer Vigil is refused with a clear message")
    func newerSchema() async throws {
        let test = try await TestStore.make(loadContent: false)
        defer { try? FileManager.default.removeItem(at: test.folder) }
        try await test.store.connections.otherWrites.raw(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 0)"
        ).run()
        test.store.signatureWriter.stopAccepting()
        _ = try? await test.writerTask.value
        await test.store.close()

        await #expect {
            try await test.open()
        } throws: { error in
            "\(error)".contains("newer than this build")
        }
    }
}

extension MigrationTests {
    @Test("migrations are listed in the order of their versions, each version once")
    func ordered() {
        let versions = Migrations.all.map(\.version)
        #expect(versions == versions.sorted())
        #expect(Set(versions).count == versions.count)
        #expect(Store.schemaVersion == versions.max())
    }
}
