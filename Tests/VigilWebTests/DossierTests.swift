import Foundation
import HummingbirdTesting
import Testing
import VigilCore
import VigilStore
import ZIPFoundation
@testable import VigilWeb

@Suite("Delivery dossier", .onBothDatabases)
struct DossierTests {
    /// Builds a dossier of the demo campaign with a few signatures: two named publicly, one
    /// withdrawn, one invalidated and counted again.
    static func build(in folder: URL) async throws -> (zip: URL, summary: DossierSummary, key: TallyLogKey) {
        let result = ResultBox<(URL, DossierSummary, TallyLogKey)>()
        try await TestApp.with { app, client in
            try await app.signAndConfirm(client, email: "named1@example.org", country: "AM", listed: true)
            try await app.signAndConfirm(client, email: "named2@example.org", country: "FR", listed: true)
            try await app.signAndConfirm(client, email: "quiet@example.org", country: "FR")
            try await app.signAndConfirm(client, email: "leaver@example.org", country: "DE", listed: true)
            try await app.signAndConfirm(client, email: "doubtful@example.org", country: "AM")
            let petitionID = try await app.petition().id
            let id = { (email: String) in try #require(try await app.store.signatureID(petitionID: petitionID, email: EmailAddress(email))) }
            let writer = app.store.signatureWriter
            _ = try await writer.revise(.withdraw(signatureID: try await id("leaver@example.org")))
            _ = try await writer.revise(.invalidate(signatureIDs: [try await id("doubtful@example.org")], reason: "check"))
            _ = try await writer.revise(.undoInvalidation(signatureIDs: [try await id("doubtful@example.org")]))
            try await app.store.seedAddressees(petitionID: petitionID)
            let office = try #require(try await app.store.addressees(petitionID: petitionID).first)
            try await app.store.recordDelivery(
                petitionID: petitionID, addresseeID: office.id, at: app.clock.now, method: .post, reference: "R-7", note: nil,
                audit: AuditRecord(staffID: nil, actor: "test", action: "")
            )

            let key = try app.logKey()
            let builder = try await DossierBuilder(store: app.store, key: key, publicURL: "https://petition.example.org")
            let zip = folder.appendingPathComponent("dossier.zip")
            let steps = StepRecorder()
            let summary = try await builder.build(slug: "osce-moscow-mechanism", to: zip) { steps.add($0.step) }
            #expect(steps.steps.contains("tally.json") && steps.steps.contains("dossier.zip"))

            // Bad requests write nothing.
            await #expect(throws: DossierError.self) { try await builder.build(slug: "osce-moscow-mechanism", to: zip) }
            let elsewhere = folder.appendingPathComponent("other.zip")
            await #expect(throws: DossierError.self) { try await builder.build(slug: "no-such-petition", to: elsewhere) }
            #expect(!FileManager.default.fileExists(atPath: elsewhere.path))
            result.value = (zip, summary, key)
        }
        let (zip, summary, key) = try #require(result.value)
        return (zip, summary, key)
    }

    @Test("a dossier of the demo campaign verifies, with the count, the named signers and a printable index")
    func buildAndVerify() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-dossier-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (zip, summary, key) = try await Self.build(in: folder)
        #expect(summary.totals.counted == 4)
        #expect(summary.totals.byCountry == ["AM": 2, "FR": 2])
        #expect(summary.listed == 2)
        #expect(summary.treeHead.head.size == 8)

        let report = DossierVerifier.verify(archive: zip, expectedKey: key.publicKey)
        #expect(report.passed, "\(report.checks.filter { !$0.passed }.map(\.detail))")
        #expect(report.totals?.counted == 4)

        let archive = try Archive(url: zip, accessMode: .read)
        #expect(Set(archive.map(\.path)) == ["index.html", "signatories.csv", "tally.json", "sth.json", "manifest.json"])
        let csv = try Self.text(archive, "signatories.csv")
        #expect(csv.hasPrefix("name,country,signed_on\r\n"))
        #expect(csv.contains("Signer named1,AM,") && csv.contains("Signer named2,FR,"))
        #expect(!csv.contains("leaver") && !csv.contains("quiet"))
        let index = try Self.text(archive, "index.html")
        #expect(index.contains("@page { size: A4"))
        #expect(index.contains("The Chairperson-in-Office of the OSCE"))
        #expect(index.contains("<svg"))
        #expect(index.contains(summary.treeHead.head.root.hex))
        #expect(index.contains("There are no local committees yet"))
        #expect(!index.contains("src=\"http") && !index.contains("href=\"http"))
        #expect(!index.contains("@example.org"))
        let tally = try Self.text(archive, "tally.json")
        #expect(try JSONSerialization.jsonObject(with: Data(tally.utf8)) is [String: Any])
        #expect(!tally.contains("@"))
    }

    @Test("the dossier names the committees that agreed to be shown, with their credited signatures, and counts the others")
    func committees() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-dossier-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try await TestApp.with { app, client in
            let lyon = try await CommitteeWebTests.committee(app, code: "lyon")
            _ = try await CommitteeWebTests.committee(app, code: "quiet", name: "Unnamed Committee", shown: false)
            let browser = Browser(client)
            _ = try await browser.sign(email: "credited@example.org", extra: [("committee", lyon.code.text)])
            _ = try await browser.confirm(try await app.confirmationLink(for: "credited@example.org"))
            _ = try await app.signAndConfirm(client, email: "direct@example.org")

            let builder = try await DossierBuilder(store: app.store, key: try app.logKey(), publicURL: "https://petition.example.org")
            let zip = folder.appendingPathComponent("dossier.zip")
            _ = try await builder.build(slug: "osce-moscow-mechanism", to: zip) { _ in }
            let index = try Self.text(try Archive(url: zip, accessMode: .read), "index.html")
            #expect(index.contains("<td>Comité Arménie Lyon <span class=\"note\">Lyon, France</span></td><td class=\"n\">1</td>"))
            #expect(index.contains("1 further committee is not named, at its request."))
            #expect(!index.contains("Unnamed Committee"))
            #expect(!index.contains("There are no local committees yet"))
        }
    }

    @Test("changing one byte of any file of a dossier makes it fail, naming that file", arguments: [
        "index.html", "signatories.csv", "tally.json", "sth.json", "manifest.json",
    ])
    func tampering(file: String) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-dossier-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (zip, _, key) = try await Self.build(in: folder)

        let unpacked = folder.appendingPathComponent("unpacked")
        try FileManager.default.createDirectory(at: unpacked, withIntermediateDirectories: true)
        try FileManager.default.unzipItem(at: zip, to: unpacked)
        let target = unpacked.appendingPathComponent(file)
        var bytes = try Data(contentsOf: target)
        let middle = bytes.count / 2
        bytes[middle] = bytes[middle] == UInt8(ascii: "1") ? UInt8(ascii: "2") : UInt8(ascii: "1")
        try bytes.write(to: target)
        let tampered = folder.appendingPathComponent("tampered.zip")
        let archive = try Archive(url: tampered, accessMode: .create)
        for name in ["manifest.json", "index.html", "signatories.csv", "sth.json", "tally.json"] {
            try archive.addEntry(with: name, relativeTo: unpacked, compressionMethod: .deflate)
        }

        let report = DossierVerifier.verify(archive: tampered, expectedKey: key.publicKey)
        #expect(!report.passed)
        #expect(report.failedSubjects.first == file, "\(report.failedSubjects)")
        // The untouched original still verifies.
        #expect(DossierVerifier.verify(archive: zip).passed)
    }

    @Test("a dossier signed with another key than the one expected fails on the manifest")
    func wrongKey() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-dossier-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (zip, _, _) = try await Self.build(in: folder)
        let other = try TallyLogKey(rawRepresentation: [UInt8](repeating: 2, count: 32))
        let report = DossierVerifier.verify(archive: zip, expectedKey: other.publicKey)
        #expect(report.failedSubjects == ["manifest.json"])
        let notZip = folder.appendingPathComponent("not.zip")
        try Data("hello".utf8).write(to: notZip)
        #expect(DossierVerifier.verify(archive: notZip).failedSubjects == ["not.zip"])
    }

    @Test("the chart has a bar for every calendar day, quiet days at zero, scaled to the busiest")
    func chart() throws {
        let catalogue = MessageCatalogue(texts: [.english: ["dossier_chart_summary": "{days} days, most {maximum}"]])
        let chart = try #require(DossierIndexPage.chart(byDay: ["2026-01-01": 2, "2026-01-04": 4], language: .english, catalogue: catalogue))
        #expect(chart.bars.map(\.height) == ["95.00", "0.00", "0.00", "190.00"])
        #expect(chart.summary == "4 days, most 4")
        #expect(chart.firstDay == "2026-01-01" && chart.lastDay == "2026-01-04")
        #expect(DossierIndexPage.chart(byDay: [:], language: .english, catalogue: catalogue) == nil)
    }

    @Test("CSV fields are quoted when needed and never start a formula")
    func csv() {
        #expect(DossierBuilder.csvField("Ani Hakobyan") == "Ani Hakobyan")
        #expect(DossierBuilder.csvField("Hakobyan, Ani") == "\"Hakobyan, Ani\"")
        #expect(DossierBuilder.csvField("Say \"hi\"") == "\"Say \"\"hi\"\"\"")
        #expect(DossierBuilder.csvField("=HYPERLINK(1)") == "'=HYPERLINK(1)")
    }

    static func text(_ archive: Archive, _ name: String) throws -> String {
        guard let entry = archive[name] else { throw DossierError.cannotWrite(name) }
        var data = Data()
        _ = try archive.extract(entry) { data.append($0) }
        return String(decoding: data, as: UTF8.self)
    }
}

/// Collects progress steps from a build.
final class StepRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [String] = []
    var steps: [String] { lock.withLock { recorded } }
    func add(_ step: String) { lock.withLock { recorded.append(step) } }
}

/// Carries a value out of a test app's closure.
final class ResultBox<Value>: @unchecked Sendable {
    var value: Value?
}
