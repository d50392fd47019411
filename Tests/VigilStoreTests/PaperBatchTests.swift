import Foundation
import Testing
import VigilCore
import VigilTestSupport
@testable import VigilStore

@Suite("Paper batches in the store", .onBothDatabases)
struct PaperBatchTests {
    static let pdf = try! PaperScan(fileName: "sheet 1.pdf", content: Data("%PDF-1.7\n% a scanned sheet\n".utf8))

    /// Two staff accounts: the coordinator who sends batches and the editor who reviews them.
    static func people(_ test: TestStore) async throws -> (coordinator: AuditRecord, editor: AuditRecord) {
        func member(_ email: String, _ role: StaffRole) async throws -> AuditRecord {
            let member = try await test.store.createStaff(
                email: email, role: role, setupTokenHash: email, setupExpiresAt: test.clock.now.addingTimeInterval(3600),
                audit: AuditRecord(staffID: nil, actor: "test", action: "staff.invited")
            )
            return AuditRecord(staffID: member.id, actor: email, action: "")
        }
        return (try await member("coordinator@example.org", .coordinator), try await member("editor@example.org", .editor))
    }

    static func custody(_ test: TestStore) throws -> PaperCustody {
        let today = TallyDay(test.clock.now).iso
        return try PaperCustody.checked(collectedBy: "Anahit", collectedOn: today, receivedBy: "Comité de Lyon", receivedOn: today, today: test.clock.now)
    }

    static func submission(_ test: TestStore, _ csv: String, committeeID: Int64? = nil) async throws -> PaperBatchSubmission {
        PaperBatchSubmission(
            petitionID: try await test.petition().id, committeeID: committeeID, sheet: Data(csv.utf8), scans: [pdf],
            custody: try custody(test), note: "Market stall, Saturday"
        )
    }

    static func sheet(_ test: TestStore, _ rows: [String]) -> String {
        let today = TallyDay(test.clock.now).iso
        return (["name,country,city,date,email"] + rows.map { $0.replacingOccurrences(of: "TODAY", with: today) }).joined(separator: "\n")
    }

    @Test("an accepted batch counts on paper, credits its committee, adds to the log, and leaves out addresses that signed already")
    func accept() async throws {
        try await TestStore.with { test in
            let petition = try await test.petition()
            let (coordinator, editor) = try await Self.people(test)
            let committee = try await test.store.createCommittee(
                petitionID: petition.id, code: nil, details: try CommitteeStoreTests.lyon(), audit: CommitteeStoreTests.audit
            )
            _ = try await test.store.signatureWriter.sign(try await test.request(email: "online@example.org"))
            _ = try await test.store.signatureWriter.confirm(try #require(try await test.confirmationToken(for: "online@example.org")))
            let logBefore = try await test.store.tallySize(petitionID: petition.id)

            let batch = try await test.store.submitPaperBatch(
                try await Self.submission(
                    test,
                    Self.sheet(test, [
                        "Anna Petrosyan,FR,Lyon,TODAY,anna@example.org",
                        "Gor Sargsyan,AM,Gyumri,TODAY,",
                        "Online Twice,FR,Lyon,TODAY,ONLINE@example.org",
                    ]),
                    committeeID: committee.id
                ),
                audit: coordinator
            )
            #expect(batch.status == .submitted)
            #expect(batch.rowCount == 3)
            #expect(batch.scans.map(\.fileName) == ["sheet_1.pdf"])
            #expect(test.store.liveCounts.counts(forPetition: petition.id).confirmed == 1)
            #expect(try await test.store.paperRows(batchID: batch.id).map(\.isDuplicate) == [false, false, true])
            let scan = try #require(try await test.store.paperScan(batchID: batch.id, position: 1))
            #expect(scan.content == Self.pdf.content)

            let accepted = try await test.store.reviewPaperBatch(id: batch.id, accept: true, note: "", audit: editor)
            #expect(accepted.status == .accepted)
            #expect(accepted.counted == 2)
            #expect(accepted.duplicates == 1)
            #expect(accepted.reviewedBy == editor.staffID)

            let counts = test.store.liveCounts.counts(forPetition: petition.id)
            #expect(counts.confirmed == 3)
            #expect(counts.byChannel == ["online": 1, "paper": 2])
            #expect(counts.byCommittee == [committee.id: 2])
            #expect(counts.byCountry == ["FR": 2, "AM": 1])
            let recount = try await test.store.recount(petitionID: petition.id)
            #expect(recount.byChannel == counts.byChannel)
            #expect(recount.byCommittee == counts.byCommittee)
            #expect(try await test.store.storedCounts(petitionID: petition.id) == counts)
            #expect(try await test.store.tallySize(petitionID: petition.id) == logBefore + 2)
            let entries = try await test.store.tallyEntries(petitionID: petition.id, range: logBefore..<(logBefore + 2))
            let channels = try entries.map { entry -> TallyEntry.Channel? in
                guard case .addition(let addition) = try TallyEntry(bytes: entry.bytes) else { return nil }
                return addition.channel
            }
            #expect(channels == [.paper, .paper])
            // The accepted rows are signatures now, not duplicates of themselves.
            #expect(try await test.store.paperRows(batchID: batch.id).map(\.isDuplicate) == [false, false, true])
            // No e-mail goes to people who signed on paper.
            #expect(try await test.store.unsentMail().filter { $0.recipient == "anna@example.org" }.isEmpty)

            let actions = try await test.store.auditLog(limit: 20).map(\.action)
            #expect(actions.contains("paper.submitted"))
            #expect(actions.contains("paper.accepted"))
        }
    }

    @Test("a second batch with an address from an accepted one counts it once")
    func acrossBatches() async throws {
        try await TestStore.with { test in
            let petition = try await test.petition()
            let (coordinator, editor) = try await Self.people(test)
            for _ in 0..<2 {
                let batch = try await test.store.submitPaperBatch(
                    try await Self.submission(test, Self.sheet(test, ["Anna Petrosyan,FR,Lyon,TODAY,anna@example.org"])), audit: coordinator
                )
                _ = try await test.store.reviewPaperBatch(id: batch.id, accept: true, note: "", audit: editor)
            }
            #expect(test.store.liveCounts.counts(forPetition: petition.id).byChannel == ["paper": 1])
            #expect(try await test.store.paperBatches(petitionID: petition.id).map(\.duplicates) == [1, 0])
        }
    }

    @Test("the submitter cannot review their own batch, a reviewed batch cannot be reviewed again, and a rejection needs a reason")
    func reviewRules() async throws {
        try await TestStore.with { test in
            let petition = try await test.petition()
            let (_, editor) = try await Self.people(test)
            let batch = try await test.store.submitPaperBatch(
                try await Self.submission(test, Self.sheet(test, ["Anna Petrosyan,FR,Lyon,TODAY,"])), audit: editor
            )
            await #expect(throws: PaperBatchProblem(.reviewerIsSubmitter, field: .note)) {
                try await test.store.reviewPaperBatch(id: batch.id, accept: true, note: "", audit: editor)
            }
            let other = try await test.store.createStaff(
                email: "admin@example.org", role: .admin, setupTokenHash: "x", setupExpiresAt: test.clock.now, audit: editor
            )
            let admin = AuditRecord(staffID: other.id, actor: "admin@example.org", action: "")
            await #expect(throws: PaperBatchProblem(.rejectionWithoutReason, field: .note)) {
                try await test.store.reviewPaperBatch(id: batch.id, accept: false, note: "  ", audit: admin)
            }
            let rejected = try await test.store.reviewPaperBatch(id: batch.id, accept: false, note: "The scan is unreadable", audit: admin)
            #expect(rejected.status == .rejected)
            #expect(rejected.reviewNote == "The scan is unreadable")
            await #expect(throws: PaperBatchProblem(.alreadyReviewed, field: .note)) {
                try await test.store.reviewPaperBatch(id: batch.id, accept: true, note: "", audit: admin)
            }
            #expect(test.store.liveCounts.counts(forPetition: petition.id).confirmed == 0)
            #expect(try await test.store.recount(petitionID: petition.id).confirmed == 0)
        }
    }

    @Test("a malformed sheet is refused whole with its line and column named, and nothing is written")
    func malformed() async throws {
        try await TestStore.with { test in
            let petition = try await test.petition()
            let (coordinator, _) = try await Self.people(test)
            let csv = Self.sheet(test, ["Anna Petrosyan,FR,Lyon,TODAY,", "Gor Sargsyan,XX,Gyumri,TODAY,"])
            await #expect(throws: PaperBatchProblem(.sheet(PaperSheetProblem(.field(.unknownCountry), line: 3, column: .country)), field: .sheet)) {
                try await test.store.submitPaperBatch(try await Self.submission(test, csv), audit: coordinator)
            }
            var noScans = try await Self.submission(test, Self.sheet(test, ["Anna Petrosyan,FR,Lyon,TODAY,"]))
            noScans.scans = []
            await #expect(throws: PaperBatchProblem(.noScans, field: .scans)) {
                try await test.store.submitPaperBatch(noScans, audit: coordinator)
            }
            let lateCustody = try PaperCustody.checked(
                collectedBy: "Anahit", collectedOn: "2026-01-01", receivedBy: "Lyon", receivedOn: "2026-01-02", today: test.clock.now
            )
            var late = try await Self.submission(test, Self.sheet(test, ["Anna Petrosyan,FR,Lyon,TODAY,"]))
            late.custody = lateCustody
            await #expect(throws: PaperBatchProblem(.signedAfterCollection(line: 2), field: .sheet)) {
                try await test.store.submitPaperBatch(late, audit: coordinator)
            }
            #expect(try await test.store.paperBatches(petitionID: petition.id).isEmpty)
            #expect(try await test.store.auditLog(limit: 20).allSatisfy { $0.action != "paper.submitted" })
        }
    }

    @Test("a withdrawn or invalidated paper signature leaves the paper count")
    func revoked() async throws {
        try await TestStore.with { test in
            let petition = try await test.petition()
            let (coordinator, editor) = try await Self.people(test)
            let batch = try await test.store.submitPaperBatch(
                try await Self.submission(test, Self.sheet(test, ["Anna Petrosyan,FR,Lyon,TODAY,anna@example.org", "Gor,AM,Gyumri,TODAY,"])),
                audit: coordinator
            )
            _ = try await test.store.reviewPaperBatch(id: batch.id, accept: true, note: "", audit: editor)
            let id = try #require(try await test.store.signatureID(petitionID: petition.id, email: EmailAddress("anna@example.org")))
            _ = try await test.store.signatureWriter.revise(.withdraw(signatureID: id))
            let counts = test.store.liveCounts.counts(forPetition: petition.id)
            #expect(counts.byChannel == ["paper": 1])
            #expect(try await test.store.recount(petitionID: petition.id).byChannel == counts.byChannel)
        }
    }

    @Test("a new master key seals the sheet and the scans again: the new key opens them, unchanged")
    func rotation() async throws {
        try await TestStore.with { test in
            let (coordinator, _) = try await Self.people(test)
            let csv = Self.sheet(test, ["Anna Petrosyan,FR,Lyon,TODAY,anna@example.org"])
            _ = try await test.store.submitPaperBatch(try await Self.submission(test, csv), audit: coordinator)

            let newCipher = PersonalDataCipher(masterKey: [UInt8](repeating: 9, count: 32))
            #expect(newCipher.keyID != test.store.cipher.keyID)
            _ = try await test.store.reseal(with: newCipher, actor: "test")
            let sheet = try #require(try await test.store.reader.raw("SELECT sheet FROM paper_batches").first()?.decode(column: "sheet", as: Data.self))
            #expect(Data(try newCipher.open(Array(sheet))) == Data(csv.utf8))
            let scan = try #require(try await test.store.reader.raw("SELECT content FROM paper_scans").first()?.decode(column: "content", as: Data.self))
            #expect(Data(try newCipher.open(Array(scan))) == Self.pdf.content)
        }
    }

    @Test("the retention rule erases a closed petition's sheets and scans; hashes, custody and counts stay, and review is refused")
    func retention() async throws {
        try await TestStore.with { test in
            let petition = try await test.petition()
            let (coordinator, editor) = try await Self.people(test)
            let counted = try await test.store.submitPaperBatch(
                try await Self.submission(test, Self.sheet(test, ["Anna Petrosyan,FR,Lyon,TODAY,anna@example.org"])), audit: coordinator
            )
            _ = try await test.store.reviewPaperBatch(id: counted.id, accept: true, note: "", audit: editor)
            let waiting = try await test.store.submitPaperBatch(
                try await Self.submission(test, Self.sheet(test, ["Gor Sargsyan,AM,Gyumri,TODAY,"])), audit: coordinator
            )
            try await test.store.setState(petitionID: petition.id, to: .closed, audit: AuditRecord(staffID: nil, actor: "test", action: "t"))
            test.clock.advance(by: 89 * 86_400)
            #expect(try await test.store.purgePersonalData(days: 90, clientHashDays: 7, actor: "test").erasedPaperBatches == 0)
            #expect(try await test.store.paperRows(batchID: counted.id).count == 1)
            let scanPosition = try #require(counted.scans.first).position
            #expect(try await test.store.paperScan(batchID: counted.id, position: scanPosition) != nil)

            test.clock.advance(by: 2 * 86_400)
            let report = try await test.store.purgePersonalData(days: 90, clientHashDays: 7, actor: "test")
            #expect(report.erasedPaperBatches == 2)
            let erased = try #require(try await test.store.paperBatch(id: counted.id))
            #expect(erased.erasedAt != nil)
            #expect(erased.sheetHash == counted.sheetHash && erased.scans == counted.scans && erased.custody == counted.custody)
            #expect(try await test.store.paperRows(batchID: counted.id).isEmpty)
            #expect(try await test.store.paperScan(batchID: counted.id, position: scanPosition) == nil)
            #expect(try await test.store.recount(petitionID: petition.id).byChannel == ["paper": 1])
            await #expect(throws: StoreError.self) {
                try await test.store.reviewPaperBatch(id: waiting.id, accept: true, note: "", audit: editor)
            }
            #expect(try await test.store.paperBatch(id: waiting.id)?.status == .submitted, "a refused review changes nothing")
            #expect(try await test.store.purgePersonalData(days: 90, clientHashDays: 7, actor: "test").erasedPaperBatches == 0)
            // What was erased is sealed like the rest: a key rotation still goes through.
            _ = try await test.store.reseal(with: PersonalDataCipher(masterKey: [UInt8](repeating: 9, count: 32)), actor: "test")
        }
    }
}
