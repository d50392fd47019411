import Foundation
import Hummingbird
import VigilCore
import VigilStore

/// Staff sign-in: the password, then the second factor (or its enrolment), the setup of a new
/// account from its one-time link, and signing out.
struct StaffSignInController {
    let services: VigilServices

    var authentication: StaffAuthentication { services.authentication }
    var store: Store { services.store }

    func addRoutes(to router: some RouterMethods<VigilRequestContext>) {
        router.get("/admin/login", use: loginForm)
        router.post("/admin/login", use: login)
        router.get("/admin/login/code", use: codeForm)
        router.post("/admin/login/code", use: code)
        router.get("/admin/two-factor", use: enrolForm)
        router.post("/admin/two-factor", use: enrol)
        router.get("/admin/setup/{token}", use: setupForm)
        router.post("/admin/setup/{token}", use: setup)
        router.post("/admin/logout", use: logout)
        router.post("/admin/sign-out-everywhere", use: signOutEverywhere)
    }

    // MARK: Password

    @Sendable func loginForm(request: Request, context: VigilRequestContext) async throws -> Response {
        if context.staff?.session.stage == .signedIn {
            return Response.redirect(to: "/admin", type: .normal)
        }
        return try services.adminPage("admin-login", titleKey: "admin_login_title", path: request.uri.path, context: context)
            .response(from: request, context: context)
    }

    @Sendable func login(request: Request, context: VigilRequestContext) async throws -> Response {
        let form = try await services.verifiedForm(request, context: context)
        let email = (form["email"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let password = form["password"] ?? ""
        let clientHash = services.clientHash(ClientAddress(request: request, context: context, behindProxy: services.configuration.behindProxy))
        let credentials = try await store.staffCredentials(email: email)
        let keys = StaffAuthentication.throttleKeys(email: email, staffID: credentials?.member.id, clientHash: clientHash)
        let texts = services.renderer.texts(context.consoleLanguage)

        if try await authentication.isLocked(keys) {
            try await store.audit(AuditRecord(staffID: credentials?.member.id, actor: email, action: "sign-in.refused-locked", clientHash: clientHash))
            return try services.adminPage(
                "admin-login", titleKey: "admin_login_title", path: request.uri.path, context: context,
                error: texts["admin_login_locked"], status: .tooManyRequests
            ).response(from: request, context: context)
        }
        let passwordMatches = try await authentication.verifyPassword(
            password, hash: credentials?.passwordHash ?? StaffAuthentication.decoyHash
        )
        guard let credentials, passwordMatches, credentials.passwordHash != nil, !credentials.member.disabled else {
            try await authentication.recordFailure(keys)
            try await store.audit(AuditRecord(staffID: credentials?.member.id, actor: email, action: "sign-in.failed", clientHash: clientHash))
            return try services.adminPage(
                "admin-login", titleKey: "admin_login_title", path: request.uri.path, context: context,
                error: texts["admin_login_failed"], status: .unauthorized
            ).response(from: request, context: context)
        }

        let member = credentials.member
        let stage: StaffSession.Stage = member.hasTwoFactor ? .secondFactor : (member.role.requiresTwoFactor ? .enrol : .signedIn)
        if stage == .signedIn {
            try await finishSignIn(member: member, keys: keys, clientHash: clientHash)
        }
        return try await startSession(
            for: member, stage: stage, replacing: context.staff, clientHash: clientHash,
            redirect: Self.destination(after: stage)
        )
    }

    // MARK: Second factor

    @Sendable func codeForm(request: Request, context: VigilRequestContext) async throws -> Response {
        guard context.staff?.session.stage == .secondFactor else { return Response.redirect(to: "/admin/login", type: .normal) }
        return try services.adminPage("admin-code", titleKey: "admin_code_title", path: request.uri.path, context: context)
            .response(from: request, context: context)
    }

    @Sendable func code(request: Request, context: VigilRequestContext) async throws -> Response {
        let form = try await services.verifiedForm(request, context: context)
        guard let staff = context.staff, staff.session.stage == .secondFactor,
              let credentials = try await store.staffCredentials(id: staff.member.id), let secret = credentials.totpSecret
        else { return Response.redirect(to: "/admin/login", type: .normal) }
        let clientHash = services.clientHash(ClientAddress(request: request, context: context, behindProxy: services.configuration.behindProxy))
        let keys = StaffAuthentication.throttleKeys(email: staff.member.email, staffID: staff.member.id, clientHash: clientHash)
        let typed = form["code"] ?? ""

        var accepted = false
        var usedRecoveryCode = false
        if !(try await authentication.isLocked(keys)) {
            if let step = authentication.matchingStep(code: typed, secret: secret) {
                accepted = try await store.acceptSecondFactorStep(id: staff.member.id, step: step)
            } else if let recovery = RecoveryCode(typed: typed) {
                accepted = try await store.spendRecoveryCode(staffID: staff.member.id, hash: recovery.hash)
                usedRecoveryCode = accepted
            }
        }
        guard accepted else {
            try await authentication.recordFailure(keys)
            try await store.audit(AuditRecord(staffID: staff.member.id, actor: staff.member.email, action: "sign-in.code-failed", clientHash: clientHash))
            return try services.adminPage(
                "admin-code", titleKey: "admin_code_title", path: request.uri.path, context: context,
                error: services.renderer.texts(context.consoleLanguage)["admin_code_failed"], status: .unauthorized
            ).response(from: request, context: context)
        }
        if usedRecoveryCode {
            try await store.audit(AuditRecord(staffID: staff.member.id, actor: staff.member.email, action: "sign-in.recovery-code-used", clientHash: clientHash))
        }
        try await finishSignIn(member: staff.member, keys: keys, clientHash: clientHash)
        return try await advance(staff, to: .signedIn, redirect: "/admin")
    }

    // MARK: Enrolling the second factor

    /// Shows a new secret to enter into an authenticator app. The secret travels in the form
    /// with a MAC, so it needs no storage until a code proves the app holds it.
    @Sendable func enrolForm(request: Request, context: VigilRequestContext) async throws -> Response {
        guard let staff = context.staff, staff.session.stage == .enrol || staff.session.stage == .signedIn else {
            return Response.redirect(to: "/admin/login", type: .normal)
        }
        return try enrolPage(request: request, context: context, staff: staff, secret: authentication.newTOTPSecret())
            .response(from: request, context: context)
    }

    @Sendable func enrol(request: Request, context: VigilRequestContext) async throws -> Response {
        let form = try await services.verifiedForm(request, context: context)
        guard let staff = context.staff, staff.session.stage == .enrol || staff.session.stage == .signedIn else {
            return Response.redirect(to: "/admin/login", type: .normal)
        }
        guard let secret = form["secret"], services.enrolmentMAC(secret: secret, staffID: staff.member.id) == form["secret_mac"] else {
            throw HTTPError(.forbidden)
        }
        guard let step = authentication.matchingStep(code: form["code"] ?? "", secret: secret) else {
            return try enrolPage(
                request: request, context: context, staff: staff, secret: secret,
                error: services.renderer.texts(context.consoleLanguage)["admin_code_failed"]
            ).response(from: request, context: context)
        }
        let codes = authentication.newRecoveryCodes()
        let clientHash = services.clientHash(ClientAddress(request: request, context: context, behindProxy: services.configuration.behindProxy))
        try await store.enrolSecondFactor(
            id: staff.member.id, totpSecret: secret, recoveryCodeHashes: codes.map(\.hash),
            audit: AuditRecord(staffID: staff.member.id, actor: staff.member.email, action: "two-factor.enrolled", clientHash: clientHash)
        )
        _ = try await store.acceptSecondFactorStep(id: staff.member.id, step: step)
        var response = try services.adminPage(
            "admin-recovery-codes", titleKey: "admin_recovery_title", path: request.uri.path, context: context,
            body: ["codes": codes.map(\.text)]
        ).response(from: request, context: context)
        if staff.session.stage == .enrol {
            let keys = StaffAuthentication.throttleKeys(email: staff.member.email, staffID: staff.member.id, clientHash: clientHash)
            try await finishSignIn(member: staff.member, keys: keys, clientHash: clientHash)
            let token = authentication.newToken()
            try await store.advanceStaffSession(from: staff.sessionHash, to: token.hash, stage: .signedIn)
            response.setCookie(sessionCookie(token.text))
        }
        return response
    }

    private func enrolPage(
        request: Request,
        context: VigilRequestContext,
        staff: SignedInStaff,
        secret: String,
        error: String? = nil
    ) throws -> HTML {
        try services.adminPage(
            "admin-two-factor", titleKey: "admin_two_factor_title", path: request.uri.path, context: context,
            body: [
                "secret": secret,
                "secret_mac": services.enrolmentMAC(secret: secret, staffID: staff.member.id),
                "typed_secret": StaffAuthentication.typedForm(of: secret),
                "url": authentication.authenticatorURL(secret: secret, email: staff.member.email),
            ],
            error: error
        )
    }

    // MARK: Account setup

    @Sendable func setupForm(request: Request, context: VigilRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        guard let member = try await store.staffMember(setupTokenHash: StaffAuthentication.hash(token: token)) else {
            return try services.adminPage(
                "admin-message", titleKey: "admin_setup_invalid_title", path: "/admin/setup", context: context,
                body: ["message": services.renderer.texts(context.consoleLanguage)["admin_setup_invalid"] ?? ""], status: .notFound
            ).response(from: request, context: context)
        }
        return try services.adminPage(
            "admin-setup", titleKey: "admin_setup_title", path: "/admin/setup", context: context,
            body: ["email": member.email, "action": "/admin/setup/\(token)"]
        ).response(from: request, context: context)
    }

    @Sendable func setup(request: Request, context: VigilRequestContext) async throws -> Response {
        let form = try await services.verifiedForm(request, context: context)
        let token = try context.parameters.require("token")
        guard let member = try await store.staffMember(setupTokenHash: StaffAuthentication.hash(token: token)) else {
            return Response.redirect(to: "/admin/setup/\(token)", type: .normal)
        }
        let password = form["password"] ?? ""
        let texts = services.renderer.texts(context.consoleLanguage)
        var problem: String?
        if password != form["password_again"] {
            problem = texts["password_mismatch"]
        } else {
            do {
                try services.passwordPolicy.check(password, email: member.email)
            } catch {
                problem = (texts[error.messageKey] ?? error.messageKey)
                    .replacingOccurrences(of: "{minimum}", with: String(PasswordPolicy.minimumLength))
            }
        }
        if let problem {
            return try services.adminPage(
                "admin-setup", titleKey: "admin_setup_title", path: "/admin/setup", context: context,
                body: ["email": member.email, "action": "/admin/setup/\(token)"], error: problem, status: .unprocessableContent
            ).response(from: request, context: context)
        }
        let clientHash = services.clientHash(ClientAddress(request: request, context: context, behindProxy: services.configuration.behindProxy))
        try await store.completeStaffSetup(
            id: member.id,
            passwordHash: try await authentication.hashPassword(password),
            totpSecret: nil,
            recoveryCodeHashes: [],
            audit: AuditRecord(staffID: member.id, actor: member.email, action: "staff.password-set", clientHash: clientHash)
        )
        let stage: StaffSession.Stage = member.role.requiresTwoFactor ? .enrol : .signedIn
        if stage == .signedIn {
            try await store.recordSignIn(staffID: member.id)
        }
        return try await startSession(
            for: member, stage: stage, replacing: context.staff, clientHash: clientHash, redirect: Self.destination(after: stage)
        )
    }

    // MARK: Signing out

    @Sendable func logout(request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try await services.verifiedForm(request, context: context)
        if let staff = context.staff {
            try await store.endStaffSession(idHash: staff.sessionHash)
            try await store.audit(AuditRecord(staffID: staff.member.id, actor: staff.member.email, action: "sign-out"))
        }
        var response = Response.redirect(to: "/admin/login", type: .normal)
        response.setCookie(expiredSessionCookie)
        return response
    }

    @Sendable func signOutEverywhere(request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try await services.verifiedForm(request, context: context)
        guard let staff = context.staff, staff.session.stage == .signedIn else {
            return Response.redirect(to: "/admin/login", type: .normal)
        }
        try await store.endAllStaffSessions(
            staffID: staff.member.id,
            audit: AuditRecord(staffID: staff.member.id, actor: staff.member.email, action: "sign-out.everywhere")
        )
        var response = Response.redirect(to: "/admin/login", type: .normal)
        response.setCookie(expiredSessionCookie)
        return response
    }

    // MARK: Sessions

    private static func destination(after stage: StaffSession.Stage) -> String {
        switch stage {
        case .secondFactor: "/admin/login/code"
        case .enrol: "/admin/two-factor"
        case .signedIn: "/admin"
        }
    }

    private func finishSignIn(member: StaffMember, keys: [String], clientHash: String?) async throws {
        for key in keys where key.hasPrefix("staff:") {
            try await store.clearLoginFailures(key: key)
        }
        try await store.recordSignIn(staffID: member.id)
        try await store.audit(AuditRecord(staffID: member.id, actor: member.email, action: "sign-in", clientHash: clientHash))
    }

    /// Starts a new session (ending the browser's previous one) and sends the browser on.
    private func startSession(
        for member: StaffMember,
        stage: StaffSession.Stage,
        replacing previous: SignedInStaff?,
        clientHash: String?,
        redirect: String
    ) async throws -> Response {
        if let previous { try await store.endStaffSession(idHash: previous.sessionHash) }
        let token = authentication.newToken()
        let lifetime = stage == .signedIn ? authentication.settings.absoluteTimeout : authentication.settings.partialTimeout
        try await store.startStaffSession(
            idHash: token.hash, staffID: member.id, stage: stage,
            expiresAt: authentication.now().addingTimeInterval(Double(lifetime.components.seconds)), clientHash: clientHash
        )
        var response = Response.redirect(to: redirect, type: .normal)
        response.setCookie(sessionCookie(token.text))
        return response
    }

    /// Moves a session to a later stage under a new id.
    private func advance(_ staff: SignedInStaff, to stage: StaffSession.Stage, redirect: String) async throws -> Response {
        let token = authentication.newToken()
        try await store.advanceStaffSession(from: staff.sessionHash, to: token.hash, stage: stage)
        var response = Response.redirect(to: redirect, type: .normal)
        response.setCookie(sessionCookie(token.text))
        return response
    }

    private func sessionCookie(_ value: String) -> Cookie {
        Cookie(
            name: StaffAuthentication.sessionCookie, value: value, path: "/admin",
            secure: services.configuration.isHTTPS, httpOnly: true, sameSite: .strict
        )
    }

    private var expiredSessionCookie: Cookie {
        Cookie(
            name: StaffAuthentication.sessionCookie, value: "", maxAge: 0, path: "/admin",
            secure: services.configuration.isHTTPS, httpOnly: true, sameSite: .strict
        )
    }
}

extension VigilServices {
    /// Reads a posted form after checking its CSRF token; a form without a valid token is refused with 403.
    func verifiedForm(_ request: Request, context: VigilRequestContext) async throws -> FormBody {
        try await verifiedSubmission(request, context: context).body
    }

    /// A posted form whose CSRF token was checked, with the time the form was shown (which the
    /// token carries); a form without a valid token is refused with 403.
    func verifiedSubmission(_ request: Request, context: VigilRequestContext) async throws -> (body: FormBody, shownAt: Date) {
        let body = FormBody(try await request.body.collect(upTo: context.maxUploadSize))
        guard let shownAt = csrf.issued(token: body[CSRFProtection.fieldName], secret: context.csrfSecret),
              !context.csrfSecretIsNew
        else {
            throw HTTPError(.forbidden)
        }
        return (body, shownAt)
    }

    /// Binds a TOTP secret shown for enrolment to the account it was shown to.
    func enrolmentMAC(secret: String, staffID: Int64) -> String {
        csrf.authenticationCode(for: "enrol:\(staffID):\(secret)")
    }
}
