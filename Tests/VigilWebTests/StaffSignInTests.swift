import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VigilCore
@testable import VigilStore
@testable import VigilWeb

@Suite("Staff sign-in", .onBothDatabases)
struct StaffSignInTests {
    @Test("an admin created from the command line sets a password, enrols a second factor and reaches the console")
    func setupFromLink() async throws {
        try await TestApp.with { app, client in
            let link = try await app.server.invite(email: "First.Admin@example.org", role: .admin)
            let path = try #require(URL(string: link)?.path)
            let browser = Browser(client)
            let form = try await browser.get(path)
            #expect(form.body.contains("first.admin@example.org"))

            let weak = try await browser.post(path, fields: [
                ("csrf", form.csrfToken ?? ""), ("password", "password1234"), ("password_again", "password1234"),
            ])
            #expect(weak.status == .unprocessableContent)
            #expect(weak.body.contains("attackers try first"))
            let short = try await browser.post(path, fields: [
                ("csrf", form.csrfToken ?? ""), ("password", "Sh0rt!"), ("password_again", "Sh0rt!"),
            ])
            #expect(short.body.contains("at least 12 characters"))

            let set = try await browser.post(path, fields: [
                ("csrf", form.csrfToken ?? ""), ("password", "lantern orchard velvet"), ("password_again", "lantern orchard velvet"),
            ])
            #expect(set.headers[.location] == "/admin/two-factor")
            // Until the second factor is enrolled, the console stays shut.
            #expect(try await browser.get("/admin").headers[.location] == "/admin/two-factor")

            let enrolPage = try await browser.get("/admin/two-factor")
            let secret = try #require(enrolPage.field("secret"))
            let wrong = try await browser.post("/admin/two-factor", fields: [
                ("csrf", enrolPage.csrfToken ?? ""), ("secret", secret), ("secret_mac", enrolPage.field("secret_mac") ?? ""),
                ("code", "000000"),
            ])
            #expect(wrong.body.contains("not right"))
            let tampered = try await browser.post("/admin/two-factor", fields: [
                ("csrf", enrolPage.csrfToken ?? ""), ("secret", "AAAAAAAAAAAAAAAAAAAA"), ("secret_mac", enrolPage.field("secret_mac") ?? ""),
                ("code", app.currentCode("AAAAAAAAAAAAAAAAAAAA")),
            ])
            #expect(tampered.status == .forbidden)
            let codes = try await browser.post("/admin/two-factor", fields: [
                ("csrf", enrolPage.csrfToken ?? ""), ("secret", secret), ("secret_mac", enrolPage.field("secret_mac") ?? ""),
                ("code", app.currentCode(secret)),
            ])
            #expect(codes.body.contains("Your recovery codes"))
            let recovery = codes.body.matches(of: /<code>([a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4})<\/code>/).map { String($0.1) }
            #expect(recovery.count == 10)
            #expect(try await browser.get("/admin").status == .ok)

            // The link worked once.
            #expect(try await Browser(client).get(path).status == .notFound)

            // Later, on another device: the password and a recovery code, which works once only.
            let other = Browser(client)
            let login = try await other.get("/admin/login")
            let afterPassword = try await other.post("/admin/login", fields: [
                ("csrf", login.csrfToken ?? ""), ("email", "first.admin@example.org"), ("password", "lantern orchard velvet"),
            ])
            #expect(afterPassword.headers[.location] == "/admin/login/code")
            #expect(try await other.get("/admin").headers[.location] == "/admin/login/code")
            let signedIn = try await other.post("/admin/login/code", fields: [("csrf", login.csrfToken ?? ""), ("code", recovery[0])])
            #expect(signedIn.headers[.location] == "/admin")
            let third = Browser(client)
            let thirdLogin = try await third.get("/admin/login")
            _ = try await third.post("/admin/login", fields: [
                ("csrf", thirdLogin.csrfToken ?? ""), ("email", "first.admin@example.org"), ("password", "lantern orchard velvet"),
            ])
            let reused = try await third.post("/admin/login/code", fields: [("csrf", thirdLogin.csrfToken ?? ""), ("code", recovery[0])])
            #expect(reused.status == .unauthorized)
        }
    }

    @Test("the session id changes at sign-in, and a code cannot be used twice")
    func sessionFixationAndReplay() async throws {
        try await TestApp.with { app, client in
            let editor = try await app.staff(.editor)
            let browser = Browser(client)
            let login = try await browser.get("/admin/login")
            _ = try await browser.post("/admin/login", fields: [
                ("csrf", login.csrfToken ?? ""), ("email", editor.member.email), ("password", editor.password),
            ])
            let partial = try #require(browser.cookies[StaffAuthentication.sessionCookie])
            let code = app.currentCode(try #require(editor.totpSecret))
            _ = try await browser.post("/admin/login/code", fields: [("csrf", login.csrfToken ?? ""), ("code", code)])
            let full = try #require(browser.cookies[StaffAuthentication.sessionCookie])
            #expect(partial != full)
            #expect(try await app.store.staffSession(idHash: StaffAuthentication.hash(token: partial)) == nil)

            let second = Browser(client)
            let secondLogin = try await second.get("/admin/login")
            _ = try await second.post("/admin/login", fields: [
                ("csrf", secondLogin.csrfToken ?? ""), ("email", editor.member.email), ("password", editor.password),
            ])
            let replay = try await second.post("/admin/login/code", fields: [("csrf", secondLogin.csrfToken ?? ""), ("code", code)])
            #expect(replay.status == .unauthorized)
        }
    }

    @Test("failed sign-ins are slowed, then lock the account; an admin sees the lock and lifts it")
    func accountLockout() async throws {
        try await TestApp.with { app, client in
            let viewer = try await app.staff(.viewer)
            for attempt in 1...5 {
                let page = try await Browser(client, address: "198.51.100.\(attempt)").signIn(viewer, app: app, password: "wrong password \(attempt)")
                #expect(page.status == .unauthorized)
            }
            // The right password no longer opens the account, from any address.
            let locked = try await Browser(client, address: "198.51.100.77").signIn(viewer, app: app)
            #expect(locked.status == .tooManyRequests)
            #expect(locked.body.contains("paused"))

            let admin = try await app.staff(.admin)
            let adminBrowser = Browser(client, address: "203.0.113.1")
            try await adminBrowser.signIn(admin, app: app)
            let staffPage = try await adminBrowser.get("/admin/staff")
            #expect(staffPage.body.contains(viewer.member.email))
            #expect(staffPage.body.contains("paused until"))
            _ = try await adminBrowser.post("/admin/staff/locks/unlock", fields: [
                ("csrf", try await adminBrowser.csrfToken()), ("key", "staff:\(viewer.member.id)"),
            ])
            let again = try await Browser(client, address: "198.51.100.78").signIn(viewer, app: app)
            #expect(again.headers[.location] == "/admin")
            let actions = try await app.store.auditLog(limit: 100).map(\.action)
            #expect(actions.filter { $0 == "sign-in.failed" }.count == 5)
            #expect(actions.contains("sign-in.refused-locked"))
            #expect(actions.contains("sign-in.unlocked"))

            // The lock lifts by itself after its time too.
            for attempt in 1...5 {
                _ = try await Browser(client, address: "198.51.100.\(100 + attempt)").signIn(viewer, app: app, password: "again wrong \(attempt)")
            }
            #expect(try await Browser(client, address: "198.51.100.200").signIn(viewer, app: app).status == .tooManyRequests)
            app.clock.advance(by: 16 * 60)
            #expect(try await Browser(client, address: "198.51.100.201").signIn(viewer, app: app).headers[.location] == "/admin")
        }
    }

    @Test("one network trying many accounts is locked out, other networks are not")
    func clientLockout() async throws {
        try await TestApp.with { app, client in
            let viewer = try await app.staff(.viewer)
            let attacker = Browser(client, address: "203.0.113.66")
            for attempt in 0..<20 {
                let page = try await attacker.get("/admin/login")
                _ = try await attacker.post("/admin/login", fields: [
                    ("csrf", page.csrfToken ?? ""), ("email", "someone\(attempt)@example.org"), ("password", "guess number \(attempt)"),
                ])
            }
            #expect(try await attacker.signIn(viewer, app: app).status == .tooManyRequests)
            #expect(try await Browser(client, address: "203.0.113.67").signIn(viewer, app: app).headers[.location] == "/admin")
        }
    }

    @Test("sessions end when idle, when too old, and everywhere on request")
    func sessionLifetimes() async throws {
        try await TestApp.with { app, client in
            let viewer = try await app.staff(.viewer)
            let browser = Browser(client)
            try await browser.signIn(viewer, app: app)
            app.clock.advance(by: 25 * 60)
            #expect(try await browser.get("/admin").status == .ok)
            app.clock.advance(by: 31 * 60)
            #expect(try await browser.get("/admin").headers[.location] == "/admin/login")

            try await browser.signIn(viewer, app: app)
            for _ in 0..<26 {
                app.clock.advance(by: 29 * 60)
                _ = try await browser.get("/admin")
            }
            #expect(try await browser.get("/admin").headers[.location] == "/admin/login", "12 hours is the most a session lives")

            let phone = Browser(client)
            let laptop = Browser(client)
            try await phone.signIn(viewer, app: app)
            try await laptop.signIn(viewer, app: app)
            #expect(try await app.store.staffSessionCount(staffID: viewer.member.id) == 2)
            _ = try await phone.post("/admin/sign-out-everywhere", fields: [("csrf", try await phone.csrfToken())])
            #expect(try await laptop.get("/admin").headers[.location] == "/admin/login")
            #expect(try await app.store.staffSessionCount(staffID: viewer.member.id) == 0)
        }
    }

    @Test("console forms without a valid CSRF token are refused and change nothing")
    func consoleCSRF() async throws {
        try await TestApp.with { app, client in
            let admin = try await app.staff(.admin)
            let browser = Browser(client)
            try await browser.signIn(admin, app: app)
            let before = try await app.store.staffMembers().count
            let refused = try await browser.post("/admin/staff", fields: [("csrf", "forged"), ("email", "new@example.org"), ("role", "admin")])
            #expect(refused.status == .forbidden)
            #expect(try await app.store.staffMembers().count == before)
            let created = try await browser.post("/admin/staff", fields: [
                ("csrf", try await browser.csrfToken()), ("email", "new@example.org"), ("role", "editor"),
            ])
            #expect(created.body.contains("/admin/setup/"))
            #expect(try await app.store.staffMembers().count == before + 1)
        }
    }

    @Test("the audit log records staff actions, refuses changes, and exports without formulas")
    func auditLog() async throws {
        try await TestApp.with { app, client in
            let admin = try await app.staff(.admin)
            let browser = Browser(client)
            try await browser.signIn(admin, app: app)
            _ = try await browser.post("/admin/staff", fields: [
                ("csrf", try await browser.csrfToken()), ("email", "=cmd@example.org"), ("role", "viewer"),
            ])
            let page = try await browser.get("/admin/audit")
            #expect(page.body.contains("staff.created"))
            #expect(page.body.contains("sign-in"))
            let csv = try await browser.get("/admin/audit.csv")
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.body.contains("staff.created"))
            #expect(!csv.body.contains(",=cmd@example.org"))

            let entry = try #require(try await app.store.auditLog(limit: 1).first)
            await #expect(throws: (any Error).self) {
                try await app.store.write { try await $0.raw("UPDATE audit_log SET action = 'nothing' WHERE id = \(bind: entry.id)").run() }
            }
            await #expect(throws: (any Error).self) {
                try await app.store.write { try await $0.raw("DELETE FROM audit_log").run() }
            }
            #expect(try await app.store.auditLog(limit: 1).first == entry)
        }
    }

    @Test("production bcrypt cost is at least 12")
    func bcryptCost() async throws {
        #expect(StaffSignInSettings().bcryptCost >= 12)
        #expect(StaffAuthentication.decoyHash.hasPrefix("$2b$12$") || StaffAuthentication.decoyHash.hasPrefix("$2a$12$") || StaffAuthentication.decoyHash.hasPrefix("$2y$12$"))
    }
}
