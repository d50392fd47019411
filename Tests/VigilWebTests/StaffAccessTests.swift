import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VigilCore
import VigilStore
@testable import VigilWeb

@Suite("Staff access", .onBothDatabases)
struct StaffAccessTests {
    /// Every console route and the permission it needs. Written out here, apart from the app's
    /// own tables, so that a route the app forgets to protect fails this test.
    static let routes: [(method: HTTPRequest.Method, path: String, permission: StaffPermission)] = [
        (.get, "/admin", .viewDashboard),
        (.post, "/admin/under-attack", .switchUnderAttack),
        (.get, "/admin/staff", .manageStaff),
        (.post, "/admin/staff", .manageStaff),
        (.post, "/admin/staff/999/disable", .manageStaff),
        (.post, "/admin/staff/999/enable", .manageStaff),
        (.post, "/admin/staff/locks/unlock", .manageStaff),
        (.get, "/admin/petitions", .editPetitions),
        (.post, "/admin/petitions", .editPetitions),
        (.get, "/admin/petitions/osce-moscow-mechanism", .editPetitions),
        (.post, "/admin/petitions/osce-moscow-mechanism/goal", .editPetitions),
        (.post, "/admin/petitions/osce-moscow-mechanism/texts/en", .editPetitions),
        (.post, "/admin/petitions/osce-moscow-mechanism/tallies", .editPetitions),
        (.post, "/admin/petitions/osce-moscow-mechanism/state", .publishPetitions),
        (.post, "/admin/petitions/osce-moscow-mechanism/dossier", .deliverPetitions),
        (.get, "/admin/petitions/osce-moscow-mechanism/deliveries", .deliverPetitions),
        (.post, "/admin/petitions/osce-moscow-mechanism/deliveries", .deliverPetitions),
        (.post, "/admin/petitions/osce-moscow-mechanism/deliveries/answers", .deliverPetitions),
        (.post, "/admin/petitions/osce-moscow-mechanism/deliveries/delegations", .deliverPetitions),
        (.get, "/admin/signatures", .findSignatures),
        (.post, "/admin/signatures/999/release", .reviewHeldSignatures),
        (.get, "/admin/invalidations", .invalidateSignatures),
        (.post, "/admin/invalidations", .invalidateSignatures),
        (.post, "/admin/invalidations/999/undo", .invalidateSignatures),
        (.get, "/admin/moderation", .moderate),
        (.post, "/admin/moderation/999", .moderate),
        (.get, "/admin/updates", .postUpdates),
        (.post, "/admin/updates", .postUpdates),
        (.post, "/admin/updates/999/publish", .postUpdates),
        (.post, "/admin/updates/999/send", .sendUpdates),
        (.get, "/admin/mechanism", .trackMechanism),
        (.post, "/admin/mechanism", .trackMechanism),
        (.get, "/admin/outbox", .manageOutbox),
        (.post, "/admin/outbox/retry-failed", .manageOutbox),
        (.post, "/admin/outbox/999/retry", .manageOutbox),
        (.get, "/admin/audit", .viewAuditLog),
        (.get, "/admin/audit.csv", .viewAuditLog),
        (.get, "/admin/committees", .manageCommittees),
        (.post, "/admin/committees", .manageCommittees),
        (.post, "/admin/committees/999", .manageCommittees),
        (.post, "/admin/paper", .submitPaper),
        (.post, "/admin/paper/999/review", .reviewPaper),
        (.get, "/admin/partners", .managePartners),
        (.post, "/admin/partners", .managePartners),
        (.post, "/admin/partners/999/revoke", .managePartners),
        (.post, "/admin/partners/999/token", .managePartners),
        (.post, "/admin/partners/999/trust", .managePartners),
    ]

    /// Console routes open to members with any one of several permissions; the page itself then
    /// decides (a coordinator sees their own committee only, which `CommitteeWebTests` checks).
    static let sharedRoutes: [(method: HTTPRequest.Method, path: String, anyOf: Set<StaffPermission>)] = [
        (.get, "/admin/committees/999", [.manageCommittees, .manageOwnCommittee]),
        (.get, "/admin/paper", [.submitPaper, .reviewPaper]),
        (.get, "/admin/paper/template.csv", [.submitPaper, .reviewPaper]),
        (.get, "/admin/paper/999", [.submitPaper, .reviewPaper]),
        (.get, "/admin/paper/999/scans/1", [.submitPaper, .reviewPaper]),
    ]

    /// Console routes that need no permission: signing in, setting up an account, signing out.
    static let unguarded: Set<String> = [
        "GET /admin/login", "POST /admin/login", "GET /admin/login/code", "POST /admin/login/code",
        "GET /admin/two-factor", "POST /admin/two-factor", "GET /admin/setup/{token}", "POST /admin/setup/{token}",
        "POST /admin/logout", "POST /admin/sign-out-everywhere",
    ]

    @Test("the table lists every console route the app serves")
    func everyRouteListed() async throws {
        let app = try await TestApp.make()
        let served = app.server.routes.filter { $0.contains(" /admin") && !Self.unguarded.contains($0) }
        await app.close()
        let all = Self.routes.map { (method: $0.method, path: $0.path) } + Self.sharedRoutes.map { (method: $0.method, path: $0.path) }
        #expect(served.count == all.count, "\(served)")
        for route in served {
            let parts = route.split(separator: " ", maxSplits: 1).map(String.init)
            let pattern = parts.last?.split(separator: "/") ?? []
            let listed = all.contains { listed in
                let path = listed.path.split(separator: "/")
                return listed.method.rawValue == parts.first && path.count == pattern.count
                    && zip(path, pattern).allSatisfy { $1.hasPrefix("{") || $0 == $1 }
            }
            #expect(listed, "\(route) is served but missing from StaffAccessTests.routes")
        }
    }

    @Test("every console route, for every role and for no session, answers as the role table says")
    func roleByRoute() async throws {
        try await TestApp.with { app, client in
            var browsers: [StaffRole?: Browser] = [nil: Browser(client, address: "192.0.2.10")]
            for role in StaffRole.allCases {
                let browser = Browser(client, address: "192.0.2.\(20 + browsers.count)")
                let signedIn = try await browser.signIn(try await app.staff(role), app: app)
                #expect(signedIn.headers[.location] == "/admin", "\(role) did not finish signing in")
                browsers[role] = browser
            }
            let routes = Self.routes.map { ($0.method, $0.path, Set([$0.permission])) } + Self.sharedRoutes.map { ($0.method, $0.path, $0.anyOf) }
            for (method, path, permissions) in routes {
                let route = (method: method, path: path)
                for (role, browser) in browsers {
                    let status: HTTPResponse.Status
                    let location: String?
                    if route.method == .get {
                        let page = try await browser.get(route.path)
                        (status, location) = (page.status, page.headers[.location])
                    } else {
                        let page = try await browser.post(route.path, fields: [("csrf", try await browser.csrfToken()), ("key", "staff:999")])
                        (status, location) = (page.status, page.headers[.location])
                    }
                    let name = "\(route.method) \(route.path) as \(role.map(\.rawValue) ?? "nobody")"
                    guard let role else {
                        #expect(status == .seeOther && location == "/admin/login", "\(name): \(status)")
                        continue
                    }
                    if !permissions.isDisjoint(with: role.permissions) {
                        #expect(status != .forbidden && location != "/admin/login", "\(name): \(status)")
                    } else {
                        #expect(status == .forbidden, "\(name): \(status)")
                    }
                }
            }
        }
    }

    @Test("the roles' permissions are those the documentation lists")
    func roleTable() throws {
        let documented = try String(
            contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("docs/staff-roles.md"),
            encoding: .utf8
        )
        for permission in StaffPermission.allCases {
            guard let line = documented.split(separator: "\n").first(where: { $0.contains("`\(permission.rawValue)`") }) else {
                Issue.record("docs/staff-roles.md does not list \(permission.rawValue)")
                continue
            }
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            // | permission | meaning | admin | editor | coordinator | viewer |
            for (offset, role) in StaffRole.allCases.enumerated() {
                let cell = cells.count > 2 + offset ? cells[2 + offset] : ""
                #expect((cell == "yes") == role.may(permission), "\(permission.rawValue) for \(role.rawValue) reads '\(cell)'")
            }
        }
    }
}
