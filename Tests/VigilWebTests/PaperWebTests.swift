import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import VigilCore
import VigilStore
import VigilTestSupport
@testable import VigilWeb

@Suite("Paper batches on the web", .onBothDatabases)
struct PaperWebTests {
    static let scan = Browser.File(field: "scans", name: "sheet-1.pdf", content: Array("%PDF-1.7\n% one scanned sheet\n".utf8))

    static func custody(_ app: TestApp, token: String) -> [(String, String)] {
        let today = TallyDay(app.clock.now).iso
        return [
            ("csrf", token), ("collected_by", "Anahit Grigoryan"), ("collected_on", today), ("received_by", "Comité de Lyon"),
            ("received_on", today), ("note", "Saturday market"),
        ]
    }

    static func sheet(_ app: TestApp, _ rows: [String]) -> Browser.File {
        let today = TallyDay(app.clock.now).iso
        let text = (["name,country,city,date,email"] + rows.map { $0.replacingOccurrences(of: "TODAY", with: today) }).joined(separator: "\r\n")
        return Browser.File(field: "sheet", name: "sheet.csv", content: Array(text.utf8))
    }

    @Test("a coordinator's batch, accepted by an editor, adds to the total on paper; the coordinator cannot review it")
    func coordinatorToEditor() async throws {
        try await TestApp.with { app, client in
            let lyon = try await CommitteeWebTests.committee(app, code: "lyon")
            let coordinator = Browser(client, address: "198.51.100.4")
            try await coordinator.signIn(try await app.staff(.coordinator, committeeID: lyon.id), app: app)
            let form = try await coordinator.get("/admin/paper")
            #expect(form.status == .ok)
            #expect(!form.body.contains("name=\"committee\""), "a coordinator's batches are their committee's; no choice is offered")

            let sent = try await coordinator.post(
                "/admin/paper", fields: Self.custody(app, token: form.csrfToken ?? ""),
                files: [Self.sheet(app, ["Anna Petrosyan,FR,Lyon,TODAY,anna@example.org", "Գոռ Սարգսյան,AM,Գյումրի,TODAY,"]), Self.scan]
            )
            #expect(sent.status == .seeOther)
            let location = try #require(sent.headers[.location])
            let page = try await coordinator.get(location)
            #expect(page.body.contains("Գոռ Սարգսյան"))
            #expect(page.body.contains("Waiting for review"))
            // The language switcher stays on the batch.
            #expect(page.body.contains("href=\"/hy\(String(location.prefix(while: { $0 != "?" })))\""))
            #expect(!page.body.contains("/review\""), "the coordinator has no review form")
            let batchPath = String(location.prefix(while: { $0 != "?" }))
            #expect(try await coordinator.get("/admin/committees/\(lyon.id)").body.contains("href=\"\(batchPath)\""))
            let scan = try await coordinator.get(batchPath + "/scans/1")
            #expect(scan.bytes == Self.scan.content)
            #expect(scan.headers[.contentDisposition]?.hasPrefix("attachment") == true)
            #expect(try await coordinator.post(batchPath + "/review", fields: [("csrf", form.csrfToken ?? ""), ("decision", "accept")]).status == .forbidden)

            let petition = try await app.petition()
            #expect(app.store.liveCounts.counts(forPetition: petition.id).confirmed == 0)

            let editor = Browser(client, address: "198.51.100.5")
            try await editor.signIn(try await app.staff(.editor), app: app)
            let review = try await editor.get(batchPath)
            #expect(review.body.contains("/review\""))
            let accepted = try await editor.post(batchPath + "/review", fields: [("csrf", review.csrfToken ?? ""), ("decision", "accept"), ("note", "")])
            #expect(accepted.status == .seeOther)
            let counts = app.store.liveCounts.counts(forPetition: petition.id)
            #expect(counts.byChannel == ["paper": 2])
            #expect(counts.byCommittee == [lyon.id: 2])

            let petitionPage = try await Browser(client).get("/petitions/osce-moscow-mechanism")
            #expect(petitionPage.body.contains("2 signed on paper and checked against the scanned sheets"))
            #expect(petitionPage.body.contains("0 signed online here"))
            let countJSON = try await Browser(client).get("/petitions/osce-moscow-mechanism/count.json")
            let document = try JSONSerialization.jsonObject(with: Data(countJSON.bytes)) as? [String: Any]
            #expect(document?["paper_signature_count"] as? Int == 2)
            #expect(document?["online_signature_count"] as? Int == 0)
            #expect(document?["signature_count"] as? Int == 2)

            // Ninety days after the petition closed, the sheet and the scans go; the batch's record stays.
            try await app.store.setState(petitionID: petition.id, to: .closed, audit: AuditRecord(staffID: nil, actor: "test", action: "t"))
            app.clock.advance(by: 91 * 86_400)
            #expect(try await app.store.purgePersonalData(days: 90, clientHashDays: 7, actor: "test").erasedPaperBatches == 1)
            let archivist = Browser(client, address: "198.51.100.6")
            try await archivist.signIn(try await app.staff(.editor), app: app)
            let erased = try await archivist.get(batchPath)
            #expect(erased.status == .ok)
            #expect(erased.body.contains("were erased on"))
            #expect(!erased.body.contains("Գոռ Սարգսյան") && !erased.body.contains("anna@example.org"))
            #expect(!erased.body.contains("href=\"\(batchPath)/scans/1\""))
            #expect(try await archivist.get(batchPath + "/scans/1").status == .notFound)
        }
    }

    @Test("a malformed sheet is refused with its line and column named in the console's language, and nothing is stored")
    func malformedSheet() async throws {
        try await TestApp.with { app, client in
            let browser = Browser(client)
            try await browser.signIn(try await app.staff(.editor), app: app)
            let form = try await browser.get("/admin/paper")
            let refused = try await browser.post(
                "/admin/paper", fields: Self.custody(app, token: form.csrfToken ?? ""),
                files: [Self.sheet(app, ["Anna Petrosyan,FR,Lyon,TODAY,", "Gor Sargsyan,AM,Gyumri,31/12/2025,"]), Self.scan]
            )
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains("Line 3, column “date”: Not a day written YYYY-MM-DD."))
            #expect(refused.body.contains("value=\"Anahit Grigoryan\""), "the custody typed is kept")

            let russian = try await browser.post(
                "/admin/paper", fields: Self.custody(app, token: form.csrfToken ?? ""),
                files: [Self.sheet(app, ["Anna Petrosyan,FR,Lyon,TODAY,"]), Browser.File(field: "scans", name: "notes.txt", content: Array("hello".utf8))]
            )
            #expect(russian.status == .unprocessableContent)
            #expect(russian.body.contains("notes.txt"))
            #expect(try await app.store.paperBatches().isEmpty)
        }
    }

    @Test("without a valid form token the upload is refused before anything is read")
    func csrf() async throws {
        try await TestApp.with { app, client in
            let browser = Browser(client)
            try await browser.signIn(try await app.staff(.editor), app: app)
            var fields = Self.custody(app, token: "forged")
            fields[0] = ("csrf", "forged")
            let refused = try await browser.post("/admin/paper", fields: fields, files: [Self.sheet(app, ["A B,FR,Lyon,TODAY,"]), Self.scan])
            #expect(refused.status == .forbidden)
            #expect(try await app.store.paperBatches().isEmpty)
        }
    }

    @Test("a body that is not a well-formed multipart form is refused with 400, and the server goes on answering")
    func malformedMultipart() async throws {
        try await TestApp.with { app, client in
            let browser = Browser(client)
            try await browser.signIn(try await app.staff(.editor), app: app)
            let boundary = "xyz"
            var headers = HTTPFields()
            headers[.contentType] = "multipart/form-data; boundary=\(boundary)"
            let bodies: [[UInt8]] = [
                Array("--xyz\r\nCon".utf8) + [0xAD] + Array(": x\r\n\r\nbody\r\n--xyz--\r\n".utf8),
                Array("--xyz\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nnever closed".utf8),
                Array("no delimiter at all".utf8),
            ]
            for body in bodies {
                let answer = try await browser.send("/admin/paper", method: .post, headers: headers, body: ByteBuffer(bytes: body))
                #expect(answer.status == .badRequest)
            }
            var plain = HTTPFields()
            plain[.contentType] = "application/x-www-form-urlencoded"
            #expect(try await browser.send("/admin/paper", method: .post, headers: plain, body: ByteBuffer(string: "csrf=x")).status == .badRequest)
            #expect(try await browser.get("/admin/paper").status == .ok)
            #expect(try await app.store.paperBatches().isEmpty)
        }
    }

    @Test("a coordinator sees only their own committee's batches")
    func coordinatorSeesOwnOnly() async throws {
        try await TestApp.with { app, client in
            let lyon = try await CommitteeWebTests.committee(app, code: "lyon")
            let paris = try await CommitteeWebTests.committee(app, code: "paris", name: "Comité Arménie Paris")
            let editor = try await app.staff(.editor)
            let batch = try await app.store.submitPaperBatch(
                PaperBatchSubmission(
                    petitionID: try await app.petition().id, committeeID: paris.id,
                    sheet: Data(Self.sheet(app, ["A B,FR,Paris,TODAY,"]).content),
                    scans: [try PaperScan(fileName: "s.pdf", content: Data(Self.scan.content))],
                    custody: try PaperCustody.checked(
                        collectedBy: "A", collectedOn: TallyDay(app.clock.now).iso, receivedBy: "B", receivedOn: TallyDay(app.clock.now).iso,
                        today: app.clock.now
                    ),
                    note: nil
                ),
                audit: AuditRecord(staffID: editor.member.id, actor: editor.member.email, action: "")
            )
            let browser = Browser(client)
            try await browser.signIn(try await app.staff(.coordinator, committeeID: lyon.id), app: app)
            #expect(try await browser.get("/admin/paper/\(batch.id)").status == .forbidden)
            #expect(try await browser.get("/admin/paper/\(batch.id)/scans/1").status == .forbidden)
            #expect(!(try await browser.get("/admin/paper").body.contains("/admin/paper/\(batch.id)")))
        }
    }
}
