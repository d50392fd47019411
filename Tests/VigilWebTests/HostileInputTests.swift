import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VigilCore
import VigilStore
@testable import VigilWeb

/// Strings an attacker would type, put through every signer field that some page shows: the
/// form shown again, the signer's own page, the console's lookup and moderation pages, and the
/// petition page once staff approve. Every page must show them as text.
@Suite("Hostile input", .onBothDatabases)
struct HostileInputTests {
    static let hostile = [
        "<script>alert(1)</script>",
        "\"><img src=x onerror=alert(1)>",
        "' OR 1=1; DROP TABLE signatures; --",
        "../../../../etc/passwd",
        "\u{202E}gnp.exe\u{202C} Ani",
        "{{t.admin_console}} {{{safeHTML}}}",
        "javascript:alert(document.cookie)",
        "Ani\u{0}<script>alert(1)</script>",
        String(repeating: "<script>alert(1)</script>", count: 800),
    ]

    /// Of those, the ones no signature may be made with: a NUL, and a name of 20,000 characters.
    static let refused: Set<String> = [hostile[7], hostile[8]]

    /// What must never appear in a page: markup that would run, or a template that was evaluated.
    static let forbidden = ["<script>alert(1)", "<img src=x", "onerror=alert(1)>", "Campaign console}}", "href=\"javascript:"]

    static func expectEscaped(_ page: Browser.Page, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for text in forbidden {
            #expect(!page.body.contains(text), "\(what) shows \(text) unescaped", sourceLocation: sourceLocation)
        }
    }

    @Test("every signer field that a page shows is shown as text, on every page that shows it")
    func signerFields() async throws {
        try await TestApp.with { app, client in
            let admin = Browser(client, address: "192.0.2.60")
            try await admin.signIn(try await app.staff(.admin), app: app)
            for (index, text) in Self.hostile.enumerated() {
                let email = "hostile\(index)@example.org"
                let browser = Browser(client, address: "198.51.100.\(index + 10)")
                let sent = try await browser.sign(
                    name: "Name \(text)", email: email,
                    extra: [("city", String(text.prefix(100))), ("comment", text), ("show_name", "yes")]
                )
                if sent.status == .unprocessableContent {
                    Self.expectEscaped(sent, "the form shown again for \(text.prefix(40))")
                    #expect(sent.body.contains(#"aria-invalid="true""#), "the form marks the field that is wrong")
                    continue
                }
                #expect(!Self.refused.contains(text), "a signature was accepted with \(text.prefix(40))")
                #expect(sent.status == .seeOther, "\(text): \(sent.status)")
                let mail = try await app.confirmationMail(for: email)
                Self.expectEscaped(try await browser.confirm(try #require(mail.confirmationPath)), "the thank-you page")
                Self.expectEscaped(try await browser.get(try #require(mail.signerPagePath)), "the signer's page")
                Self.expectEscaped(try await admin.get("/admin/signatures?email=\(email)"), "the console's lookup")
            }
            let queue = try await admin.get("/admin/moderation")
            Self.expectEscaped(queue, "the moderation queue")
            #expect(queue.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the queue shows the comment as text")
            for match in queue.body.matches(of: /\/admin\/moderation\/(\d+)/) {
                let path = "/admin/moderation/\(match.1)"
                _ = try await admin.post(path, fields: [("csrf", try await admin.csrfToken()), ("name", "approved")])
                _ = try await admin.post(path, fields: [("csrf", try await admin.csrfToken()), ("comment", "approved")])
            }
            let petition = try await Browser(client).get("/petitions/osce-moscow-mechanism")
            Self.expectEscaped(petition, "the petition page")
            #expect(petition.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "approved comments are on the page, as text")
            #expect(petition.body.contains("{{t.admin_console}}"), "a template in a comment is shown, not evaluated")
        }
    }
}
