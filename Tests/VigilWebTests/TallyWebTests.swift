import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing
import VigilCore
@testable import VigilStore
@testable import VigilWeb

@Suite("Tally log on the web: receipts, /verify and the API", .onBothDatabases)
struct TallyWebTests {
    @Test("the thank-you page and the receipt e-mail give the leaf hash and nonce, and /verify confirms them")
    func receiptVerifies() async throws {
        try await TestApp.with { app, client in
            let thanks = try await app.signAndConfirm(client, email: "receipt@example.org", country: "AM")
            let leafHash = try #require(thanks.code(after: "Leaf hash"))
            let nonce = try #require(thanks.code(after: "Nonce"))
            #expect(MerkleHash(hex: leafHash) != nil && nonce.count == 64)
            #expect(thanks.body.contains("/verify?petition=osce-moscow-mechanism&amp;leaf_hash=\(leafHash)"))
            let receiptMail = try #require(try await app.waitForMails(2).first { $0.body.contains("This e-mail is your receipt") })
            #expect(receiptMail.body.contains(leafHash) && receiptMail.body.contains(nonce))

            let browser = Browser(client)
            // Before a tree head covers it, /verify says to come back.
            let early = try await browser.get("/verify?petition=osce-moscow-mechanism&leaf_hash=\(leafHash)")
            #expect(early.body.contains("was made before it was added"))

            try await app.signTreeHead()
            let byLink = try await browser.get("/verify?petition=osce-moscow-mechanism&leaf_hash=\(leafHash)")
            #expect(byLink.status == .ok)
            #expect(byLink.body.contains("Your signature is in the count."))
            #expect(byLink.body.contains("carries a valid signature"))

            let form = try await browser.get("/verify")
            let posted = try await browser.post("/verify?lang=en", fields: [
                ("csrf", form.csrfToken ?? ""), ("petition", "osce-moscow-mechanism"), ("leaf_hash", leafHash),
                ("nonce", nonce), ("email", "Receipt@Example.org"),
            ])
            #expect(posted.status == .ok)
            #expect(posted.body.contains("the entry is yours"))
            #expect(posted.body.contains("Your signature is in the count."))

            let someoneElse = try await browser.post("/verify?lang=en", fields: [
                ("csrf", form.csrfToken ?? ""), ("petition", "osce-moscow-mechanism"), ("leaf_hash", leafHash),
                ("nonce", nonce), ("email", "other@example.org"),
            ])
            #expect(someoneElse.body.contains("does not match this nonce and address"))
            #expect(someoneElse.body.contains("The check failed"))
        }
    }

    @Test("/verify explains bad input and unknown entries, and changes nothing")
    func verifyBadInput() async throws {
        try await TestApp.with { app, client in
            let browser = Browser(client)
            let form = try await browser.get("/verify")
            #expect(form.status == .ok)
            let cases: [([(String, String)], String)] = [
                ([("leaf_hash", "xyz")], "A leaf hash is 64 characters"),
                ([("leaf_hash", String(repeating: "a", count: 64)), ("nonce", "12")], "A nonce is 64 characters"),
                ([("leaf_hash", String(repeating: "a", count: 64)), ("nonce", String(repeating: "b", count: 64))], "give both the nonce and the e-mail"),
            ]
            for (fields, message) in cases {
                let page = try await browser.post("/verify", fields: [("csrf", form.csrfToken ?? "")] + fields)
                #expect(page.status == .unprocessableContent)
                #expect(page.body.contains(message), "\(fields)")
            }
            let unknown = try await browser.post("/verify", fields: [("csrf", form.csrfToken ?? ""), ("leaf_hash", String(repeating: "a", count: 64))])
            #expect(unknown.body.contains("No entry of this petition"))
            let noToken = try await Browser(client).post("/verify", fields: [("leaf_hash", String(repeating: "a", count: 64))])
            #expect(noToken.status == .forbidden)
            #expect(try await browser.get("/verify?petition=no-such-petition").status == .notFound)
            #expect(try await app.store.tallySize(petitionID: app.petition().id) == 0)
        }
    }

    @Test("a receipt stops verifying against a forged tree head, on /verify and through the receipt client")
    func forgedHead() async throws {
        try await TestApp.with { app, client in
            let thanks = try await app.signAndConfirm(client, email: "forged@example.org")
            try await app.signAndConfirm(client, email: "other@example.org")
            let leafHash = try #require(thanks.code(after: "Leaf hash").flatMap { MerkleHash(hex: $0) })
            let genuine = try await app.signTreeHead()

            let fetch: ReceiptClient.Fetch = { path in
                let response = try await client.execute(uri: path, method: .get, headers: [:], body: nil)
                return (Int(response.status.code), Data(buffer: response.body))
            }
            let good = try await ReceiptClient(fetch: fetch).check(petition: "osce-moscow-mechanism", leafHash: leafHash)
            #expect(good.passed, "\(good.lines.map(\.text))")

            // A client served a head whose root was swapped for another tree's.
            let forging: ReceiptClient.Fetch = { path in
                let (status, body) = try await fetch(path)
                guard path.hasSuffix("tree-head.json") else { return (status, body) }
                var head = try JSONDecoder().decode(SignedTreeHead.self, from: body)
                head.head.root = MerkleTree.leafHash([1, 2, 3])
                return (status, try JSONEncoder().encode(head))
            }
            let forged = try await ReceiptClient(fetch: forging).check(petition: "osce-moscow-mechanism", leafHash: leafHash)
            #expect(!forged.passed)
            #expect(forged.lines.contains { !$0.passed && $0.text.contains("signature does NOT match") })
            // A genuine head checked against a key the signer pinned from elsewhere.
            let impostor = try TallyLogKey(rawRepresentation: [UInt8](repeating: 1, count: 32))
            let pinned = try await ReceiptClient(fetch: fetch).check(petition: "osce-moscow-mechanism", leafHash: leafHash, pinnedKey: impostor.publicKey)
            #expect(!pinned.passed)

            // The server's own newest head forged in its database: /verify refuses it.
            var forgedHead = genuine
            forgedHead.head.root = MerkleTree.leafHash([9])
            try await app.store.connections.otherWrites.raw(
                """
                INSERT INTO tree_heads (petition_id, tree_size, root_hash, signed_at, signature, key_id)
                VALUES (\(bind: try await app.petition().id), 2, \(bind: Data(forgedHead.head.root.bytes)),
                        \(bind: genuine.head.timestamp + 1), \(bind: Data(genuine.signature)), \(bind: genuine.keyID))
                """
            ).run()
            let page = try await Browser(client).get("/verify?petition=osce-moscow-mechanism&leaf_hash=\(leafHash.hex)")
            #expect(page.body.contains("The check failed"))
            #expect(page.body.contains("does not match the log key"))
        }
    }

    @Test("the API serves the key, the signed head, entries and proofs that check out, and refuses bad requests as problems")
    func api() async throws {
        try await TestApp.with { app, client in
            for index in 0..<5 { try await app.signAndConfirm(client, email: "api\(index)@example.org", country: index % 2 == 0 ? "AM" : "FR") }
            let first = try await app.signTreeHead()
            for index in 5..<7 { try await app.signAndConfirm(client, email: "api\(index)@example.org") }
            try await app.signTreeHead()
            let browser = Browser(client)
            let decoder = JSONDecoder()

            let keyPage = try await browser.get("/.well-known/vigil-log-key")
            #expect(keyPage.headers[.contentType] == "application/json; charset=utf-8")
            let keyDocument = try decoder.decode(LogKeyDocument.self, from: Data(keyPage.body.utf8))
            let key = try #require(TallyLogPublicKey(base64: keyDocument.public_key))
            let expectedKey = try app.logKey().publicKey
            #expect(keyDocument.algorithm == "Ed25519" && key == expectedKey)

            let headPage = try await browser.get("/petitions/osce-moscow-mechanism/tally/tree-head.json")
            let head = try decoder.decode(SignedTreeHead.self, from: Data(headPage.body.utf8))
            #expect(head.head.size == 7 && head.isSigned(by: key))
            let etag = try #require(headPage.headers[.eTag])
            #expect(try await browser.get("/petitions/osce-moscow-mechanism/tally/tree-head.json", headers: [.ifNoneMatch: etag]).status == .notModified)

            let entriesPage = try await browser.get("/petitions/osce-moscow-mechanism/tally/entries.json?start=0&end=7")
            #expect(entriesPage.headers[.cacheControl]?.contains("max-age=86400") == true)
            let records = try #require(try JSONSerialization.jsonObject(with: Data(entriesPage.body.utf8)) as? [String: Any])["entries"]
            let entries = try decoder.decode([TallyEntryRecord].self, from: JSONSerialization.data(withJSONObject: records ?? []))
            let hashes = try entries.map { MerkleTree.leafHash(try $0.decoded().bytes) }
            #expect(MerkleTree.root(ofLeafHashes: hashes[...]) == head.head.root)
            #expect(entries[0].country == "AM" && entries[0].kind == "addition")

            let inclusionPage = try await browser.get("/petitions/osce-moscow-mechanism/tally/inclusion.json?leaf_hash=\(hashes[3].hex)")
            let inclusion = try decoder.decode(InclusionDocument.self, from: Data(inclusionPage.body.utf8))
            #expect(inclusion.leaf_index == 3 && inclusion.tree_size == 7 && inclusion.revoked == nil)
            try MerkleTree.verifyInclusion(
                index: 3, size: 7, leafHash: hashes[3], proof: inclusion.audit_path.compactMap { MerkleHash(hex: $0) }, root: head.head.root
            )

            let consistencyPage = try await browser.get("/petitions/osce-moscow-mechanism/tally/consistency.json?first=5&second=7")
            let proof = try #require(try JSONSerialization.jsonObject(with: Data(consistencyPage.body.utf8)) as? [String: Any])["proof"] as? [String]
            try MerkleTree.verifyConsistency(
                first: 5, second: 7, firstRoot: first.head.root, secondRoot: head.head.root, proof: (proof ?? []).compactMap { MerkleHash(hex: $0) }
            )

            for (path, status) in [
                ("/petitions/osce-moscow-mechanism/tally/entries.json?start=5&end=2", 400),
                ("/petitions/osce-moscow-mechanism/tally/entries.json?start=0&end=8", 400),
                ("/petitions/osce-moscow-mechanism/tally/entries.json?start=-1", 400),
                ("/petitions/osce-moscow-mechanism/tally/inclusion.json?leaf_hash=zz", 400),
                ("/petitions/osce-moscow-mechanism/tally/inclusion.json?leaf_hash=\(String(repeating: "0", count: 64))", 404),
                ("/petitions/osce-moscow-mechanism/tally/inclusion.json?leaf_index=7", 404),
                ("/petitions/osce-moscow-mechanism/tally/inclusion.json", 400),
                ("/petitions/osce-moscow-mechanism/tally/consistency.json?first=7&second=5", 400),
                ("/petitions/osce-moscow-mechanism/tally/consistency.json?first=1", 400),
                ("/petitions/nothing/tally/tree-head.json", 404),
            ] {
                let page = try await browser.get(path)
                #expect(Int(page.status.code) == status, "\(path)")
                #expect(page.headers[.contentType] == "application/problem+json", "\(path)")
            }
        }
    }

    @Test("a withdrawn signature's receipt says it no longer counts")
    func withdrawnReceipt() async throws {
        try await TestApp.with { app, client in
            let thanks = try await app.signAndConfirm(client, email: "changed.mind@example.org")
            let leafHash = try #require(thanks.code(after: "Leaf hash"))
            let id = try #require(try await app.store.signatureID(petitionID: app.petition().id, email: EmailAddress("changed.mind@example.org")))
            #expect(try await app.store.signatureWriter.revise(.withdraw(signatureID: id)) == .revised(entries: 1))
            try await app.signTreeHead()
            let page = try await Browser(client).get("/verify?petition=osce-moscow-mechanism&leaf_hash=\(leafHash)")
            #expect(page.body.contains("it was withdrawn on"))
            let inclusion = try await Browser(client).get("/petitions/osce-moscow-mechanism/tally/inclusion.json?leaf_hash=\(leafHash)")
            #expect(inclusion.body.contains("\"reason\":\"withdrawn\""))
        }
    }

    @Test("deliveries and answers appear on the petition page under What happened")
    func timeline() async throws {
        let app = try await TestApp.make()
        let petition = try await app.petition()
        try await app.store.seedAddressees(petitionID: petition.id)
        let office = try #require(try await app.store.addressees(petitionID: petition.id).first)
        let staff = AuditRecord(staffID: nil, actor: "test", action: "")
        try await app.store.recordDelivery(
            petitionID: petition.id, addresseeID: office.id, at: app.clock.now, method: .email, reference: "REF-1", note: "private",
            audit: staff
        )
        try await app.store.recordAnswer(
            petitionID: petition.id, addresseeID: office.id, at: app.clock.now, summary: "We have received the petition.",
            reference: nil, audit: staff
        )
        do {
            try await app.server.application.test(.router) { client in
                let page = try await Browser(client).get("/petitions/osce-moscow-mechanism")
                #expect(page.body.contains("What happened"))
                #expect(page.body.contains("The petition was delivered to The Chairperson-in-Office of the OSCE (by e-mail, reference REF-1)."))
                #expect(page.body.contains("answered: We have received the petition."))
                #expect(!page.body.contains("private"))
            }
        } catch {
            await app.close()
            throw error
        }
        await app.close()
    }
}
