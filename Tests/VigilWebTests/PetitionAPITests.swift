import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VigilCore
@testable import VigilWeb

@Suite("Petition JSON", .onBothDatabases)
struct PetitionAPITests {
    @Test("the petition document has the UK petitions API's shape, the goal and the external tallies")
    func petitionDocument() async throws {
        try await TestApp.with { app, client in
            let browser = Browser(client)
            _ = try await browser.sign(email: "json@example.org", country: "AM")
            let link = try #require(try await app.waitForMails(1).first?.confirmationPath)
            let thanks = try await browser.confirm(link)
            #expect(thanks.body.contains("signer number 1"))

            let response = try await browser.get("/petitions/osce-moscow-mechanism.json")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json; charset=utf-8")
            #expect(response.headers[.cacheControl]?.contains("max-age") == true)
            let etag = try #require(response.headers[.eTag])
            let document = try #require(try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any])
            let data = try #require(document["data"] as? [String: Any])
            #expect(data["type"] as? String == "petition")
            let attributes = try #require(data["attributes"] as? [String: Any])
            #expect(attributes["action"] as? String == "Invoke the OSCE Moscow Mechanism for the 23 Armenians held in Baku")
            #expect((attributes["background"] as? String)?.isEmpty == false)
            #expect(attributes["state"] as? String == "open")
            #expect(attributes["signature_count"] as? Int == 1)
            #expect(attributes["goal"] as? Int == 5500)
            #expect(attributes["total_signature_count"] as? Int == 3808)
            let byCountry = try #require(attributes["signatures_by_country"] as? [[String: Any]])
            #expect(byCountry.count == 1)
            #expect(byCountry.first?["code"] as? String == "AM")
            #expect(byCountry.first?["name"] as? String == "Armenia")
            #expect(byCountry.first?["signature_count"] as? Int == 1)
            let tallies = try #require(attributes["external_tallies"] as? [[String: Any]])
            #expect(tallies.first?["source"] as? String == "armeniancause.net")
            #expect(tallies.first?["signature_count"] as? Int == 3807)
            #expect(tallies.first?["recorded_on"] as? String == "2026-11-29")
            #expect(!response.body.contains("json@example.org"))

            var headers = HTTPFields()
            headers[.ifNoneMatch] = etag
            let cached = try await browser.get("/petitions/osce-moscow-mechanism.json", headers: headers)
            #expect(cached.status == .notModified)

            // Each language is a document of its own, at the same counts.
            let translated = try await browser.get("/petitions/osce-moscow-mechanism.json?lang=fr")
            let frenchData = try #require(
                (try JSONSerialization.jsonObject(with: Data(translated.body.utf8)) as? [String: Any])?["data"] as? [String: Any]
            )
            let frenchAttributes = try #require(frenchData["attributes"] as? [String: Any])
            #expect(frenchAttributes["language"] as? String == "fr")
            #expect(frenchAttributes["action"] as? String != attributes["action"] as? String)
            #expect(try await browser.get("/petitions/osce-moscow-mechanism.json").body == response.body)
        }
    }

    @Test("count.json answers with the counts, an ETag that changes with them, and 304 when unchanged")
    func countDocument() async throws {
        try await TestApp.with { app, client in
            let browser = Browser(client)
            let first = try await browser.get("/petitions/osce-moscow-mechanism/count.json")
            let etag = try #require(first.headers[.eTag])
            let json = try #require(try JSONSerialization.jsonObject(with: Data(first.body.utf8)) as? [String: Any])
            #expect(json["signature_count"] as? Int == 0)
            #expect(json["external_signature_count"] as? Int == 3807)
            #expect(json["goal"] as? Int == 5500)
            #expect(json["percent_of_goal"] as? Int == 69)
            #expect(first.headers[.setCookie] == nil, "a cacheable count must not set cookies")

            var headers = HTTPFields()
            headers[.ifNoneMatch] = etag
            #expect(try await browser.get("/petitions/osce-moscow-mechanism/count.json", headers: headers).status == .notModified)

            _ = try await browser.sign(email: "etag@example.org")
            let link = try #require(try await app.waitForMails(1).first?.confirmationPath)
            let thanks = try await browser.confirm(link)
            #expect(thanks.body.contains("signer number 1"))
            let after = try await browser.get("/petitions/osce-moscow-mechanism/count.json", headers: headers)
            #expect(after.status == .ok)
            #expect(after.headers[.eTag] != etag)
            // The document is encoded once per version: the new one, not the one read before.
            let counted = try #require(try JSONSerialization.jsonObject(with: Data(after.body.utf8)) as? [String: Any])
            #expect(counted["signature_count"] as? Int == 1)
            #expect(counted["total_signature_count"] as? Int == 3808)
        }
    }

    @Test("an unknown petition is a problem document")
    func unknown() async throws {
        try await TestApp.with { _, client in
            let response = try await Browser(client).get("/petitions/nothing-here/count.json")
            #expect(response.status == .notFound)
            #expect(response.headers[.contentType] == "application/problem+json")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any])
            #expect(json["status"] as? Int == 404)
            #expect((json["detail"] as? String)?.contains("nothing-here") == true)
        }
    }
}
