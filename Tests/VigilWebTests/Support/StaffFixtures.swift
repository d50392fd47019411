import Foundation
import HTTPTypes
import HummingbirdOTP
import HummingbirdTesting
import VigilCore
import VigilStore
@testable import VigilWeb

/// A staff account made for a test, with what it takes to sign in.
struct TestStaff: Sendable {
    let member: StaffMember
    let password: String
    let totpSecret: String?
}

extension TestApp {
    /// Creates an account that has finished its setup: a password, and a second factor for the
    /// roles that need one.
    func staff(_ role: StaffRole, email: String? = nil, committeeID: Int64? = nil) async throws -> TestStaff {
        let address = email ?? "\(role.rawValue)-\(UUID().uuidString.prefix(8))@example.org"
        let authentication = server.services.authentication
        let setup = authentication.newToken()
        let member = try await store.createStaff(
            email: address, role: role, committeeID: committeeID, setupTokenHash: setup.hash, setupExpiresAt: clock.now.addingTimeInterval(3600),
            audit: AuditRecord(staffID: nil, actor: "test", action: "staff.created")
        )
        let password = "tidy marble lantern \(role.rawValue)"
        let secret = role.requiresTwoFactor ? authentication.newTOTPSecret() : nil
        try await store.completeStaffSetup(
            id: member.id,
            passwordHash: try await authentication.hashPassword(password),
            totpSecret: secret,
            recoveryCodeHashes: [],
            audit: AuditRecord(staffID: member.id, actor: address, action: "staff.password-set")
        )
        return TestStaff(member: member, password: password, totpSecret: secret)
    }

    /// The TOTP code an authenticator app shows now for a secret.
    func currentCode(_ secret: String, offsetSteps: Int = 0) -> String {
        String(format: "%06d", TOTP(secret: secret).compute(date: clock.now.addingTimeInterval(Double(offsetSteps * 30))))
    }
}

extension Browser {
    /// Signs in through the forms, with the second factor when the account has one; returns the
    /// last page reached.
    @discardableResult
    func signIn(_ staff: TestStaff, app: TestApp, password: String? = nil) async throws -> Page {
        let form = try await get("/admin/login")
        let answer = try await post("/admin/login", fields: [
            ("csrf", form.csrfToken ?? ""), ("email", staff.member.email), ("password", password ?? staff.password),
        ])
        guard answer.status == .seeOther, answer.headers[.location] == "/admin/login/code", let secret = staff.totpSecret else {
            return answer
        }
        let codePage = try await get("/admin/login/code")
        return try await post("/admin/login/code", fields: [("csrf", codePage.csrfToken ?? ""), ("code", app.currentCode(secret))])
    }

    /// The CSRF token for this browser, read from a page that has a form whoever is signed in.
    func csrfToken() async throws -> String {
        try await get("/petitions/osce-moscow-mechanism").csrfToken ?? ""
    }
}
