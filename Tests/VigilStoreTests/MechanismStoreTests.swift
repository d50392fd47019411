import Foundation
import Testing
import VigilCore
import VigilTestSupport
@testable import VigilStore

@Suite("Moscow Mechanism store", .onBothDatabases)
struct MechanismStoreTests {
    static let audit = AuditRecord(staffID: nil, actor: "test", action: "")

    @Test("the shipped content has both thresholds as the rules file gives them, 17 sourced invocations against 19 claimed, and cites only its own sources")
    func shippedContent() throws {
        let content = try #require(try MechanismContent.load(from: TestStore.contentFolder.appendingPathComponent("mechanism")))
        #expect(content.organisation == "osce")
        let rules = content.thresholds.map { [$0.paragraph, $0.requesting, $0.supporting] }
        #expect(rules == [[9, 1, 5], [12, 1, 9]])
        #expect(content.thresholds.map(\.verification) == [.secondary, .verified])
        #expect(content.invocations.claimed == 19)
        #expect(content.invocations.entries.count == 17)
        #expect(content.invocations.entries.allSatisfy { !$0.sources.isEmpty })
        #expect(content.explainers[.english] != nil)
        let keys = Set(content.sources.map(\.key))
        for explainer in content.explainers.values {
            let cited = explainer.sections.flatMap(\.paragraphs).flatMap { $0.sources ?? [] }
            #expect(Set(cited).isSubset(of: keys))
        }
    }

    @Test("a content file citing a source it does not list is refused, naming the file and the record")
    func unknownSource() throws {
        let folder = try TestStore.copyOfContent(editing: [
            (file: "mechanism/mechanism.yaml", find: "sources: [el-balad-georgia, wikipedia-ru]", replace: "sources: [no-such-source]"),
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect {
            try MechanismContent.load(from: folder.appendingPathComponent("mechanism"))
        } throws: { error in
            "\(error)".contains("mechanism/mechanism.yaml") && "\(error)".contains("thresholds[0]") && "\(error)".contains("no-such-source")
        }
    }

    @Test("every change is a new row; the database refuses to change or delete one")
    func appendOnly() async throws {
        try await TestStore.with { test in
            let store = test.store
            let states = try await store.memberCountries(ofOrganisation: "osce")
            #expect(states.count == 57)
            try await store.recordAdvocacy(
                country: "am", status: .contacted, note: "  first letter  ", visibility: .public, on: test.clock.now, among: states, audit: Self.audit
            )
            try await store.recordAdvocacy(
                country: "AM", status: .met, note: "met the deputy", visibility: .internal, on: test.clock.now, among: states, audit: Self.audit
            )
            let history = try await store.advocacyHistory(for: .staff)
            #expect(history.map(\.status) == [.contacted, .met])
            #expect(history.map(\.note) == ["first letter", "met the deputy"])
            #expect(try await store.advocacyHistory(for: .public).map(\.note) == ["first letter", nil])

            await #expect(throws: (any Error).self) {
                try await store.connections.otherWrites.raw("UPDATE advocacy_entries SET status = 'declined'").run()
            }
            await #expect(throws: (any Error).self) {
                try await store.connections.otherWrites.raw("DELETE FROM advocacy_entries").run()
            }
            #expect(try await store.advocacyHistory(for: .staff).count == 2)
        }
    }

    @Test("a State outside the organisation, a long note or a future day is refused and changes nothing")
    func refusals() async throws {
        try await TestStore.with { test in
            let store = test.store
            let states = try await store.memberCountries(ofOrganisation: "osce")
            func refused(_ expected: MechanismProblem, country: String = "AM", note: String? = nil, days: Double = 0) async {
                await #expect(throws: expected) {
                    try await store.recordAdvocacy(
                        country: country, status: .met, note: note, visibility: .public,
                        on: test.clock.now.addingTimeInterval(days * 86_400), among: states, audit: Self.audit
                    )
                }
            }
            await refused(.unknownCountry("BR"), country: "BR")
            await refused(.unknownCountry("ZZ"), country: "ZZ")
            await refused(.noteTooLong(maximum: Store.maximumAdvocacyNote), note: String(repeating: "é", count: Store.maximumAdvocacyNote + 1))
            await refused(.dateInFuture, days: 2)
            #expect(try await store.advocacyHistory(for: .staff).isEmpty)
            #expect(try await store.auditLog(limit: 20).allSatisfy { $0.action != "mechanism.status-recorded" })
        }
    }
}
