import Foundation
import Hummingbird
import VigilCore
import VigilStore

/// Staff accounts for admins: who has access with which role, new accounts with their setup
/// link, disabling, and the sign-in locks.
struct StaffController {
    let services: VigilServices

    func addRoutes(to router: some RouterMethods<VigilRequestContext>) {
        let group = router.group("/admin/staff").add(middleware: PermissionMiddleware(permission: .manageStaff))
        group.get(use: list)
        group.post(use: create)
        group.post("{id}/disable", use: disable)
        group.post("{id}/enable", use: enable)
        group.post("locks/unlock", use: unlock)
    }

    struct Row {
        let id: Int64
        let email: String
        let role: String
        let state: String
        let twoFactor: Bool
        let disabled: Bool
        let lastSignIn: String?
        let isSelf: Bool
    }

    struct CommitteeOption {
        let id: Int64
        let label: String
    }

    struct Lock {
        let key: String
        let label: String
        let until: String
    }

    struct Body {
        let staff: [Row]
        let locks: [Lock]
        let roles: [String]
        let committees: [CommitteeOption]
        let setupLink: String?
        let setupEmail: String?
    }

    @Sendable func list(request: Request, context: VigilRequestContext) async throws -> HTML {
        try await page(context: context)
    }

    @Sendable func create(request: Request, context: VigilRequestContext) async throws -> HTML {
        let form = try await services.verifiedForm(request, context: context)
        let texts = services.renderer.texts(context.consoleLanguage)
        guard let role = form["role"].flatMap(StaffRole.init(rawValue:)) else {
            return try await page(context: context, error: texts["admin_staff_role_unknown"], status: .unprocessableContent)
        }
        let email: EmailAddress
        do {
            email = try EmailAddress(form["email"] ?? "")
        } catch {
            return try await page(context: context, error: texts["field_email_malformed"], status: .unprocessableContent)
        }
        // A coordinator looks after exactly one committee; nobody else is tied to one.
        let committee = form["committee"].flatMap(Int64.init).flatMap(services.committees.committee(id:))
        if role == .coordinator, committee == nil {
            return try await page(context: context, error: texts["admin_staff_committee_required"], status: .unprocessableContent)
        }
        do {
            let invitation = try await services.inviteStaff(
                email: email.address, role: role, committeeID: role == .coordinator ? committee?.id : nil,
                actor: context.auditActor(request, services)
            )
            return try await page(context: context, setupLink: invitation.link, setupEmail: invitation.member.email)
        } catch StoreError.conflict {
            return try await page(context: context, error: texts["admin_staff_exists"], status: .unprocessableContent)
        }
    }

    @Sendable func disable(request: Request, context: VigilRequestContext) async throws -> Response {
        try await setDisabled(true, request: request, context: context)
    }

    @Sendable func enable(request: Request, context: VigilRequestContext) async throws -> Response {
        try await setDisabled(false, request: request, context: context)
    }

    private func setDisabled(_ disabled: Bool, request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try await services.verifiedForm(request, context: context)
        guard let id = Int64(try context.parameters.require("id")), try await services.store.staffMember(id: id) != nil else {
            throw HTTPError(.notFound)
        }
        // An admin cannot lock themselves out by mistake.
        guard id != context.staff?.member.id else { throw HTTPError(.conflict) }
        var record = context.auditActor(request, services)
        record.action = disabled ? "staff.disabled" : "staff.enabled"
        try await services.store.setStaffDisabled(id: id, disabled: disabled, audit: record)
        return Response.redirect(to: "/admin/staff", type: .normal)
    }

    @Sendable func unlock(request: Request, context: VigilRequestContext) async throws -> Response {
        let form = try await services.verifiedForm(request, context: context)
        guard let key = form["key"], !key.isEmpty else { throw HTTPError(.badRequest) }
        var record = context.auditActor(request, services)
        record.action = "sign-in.unlocked"
        try await services.store.clearLoginFailures(key: key, audit: record)
        return Response.redirect(to: "/admin/staff", type: .normal)
    }

    private func page(
        context: VigilRequestContext,
        setupLink: String? = nil,
        setupEmail: String? = nil,
        error: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> HTML {
        let store = services.store
        let texts = services.renderer.texts(context.consoleLanguage)
        let format = Date.FormatStyle(date: .abbreviated, time: .shortened, timeZone: TimeZone(identifier: "UTC") ?? .current)
            .locale(context.consoleLanguage.locale)
        let members = try await store.staffMembers()
        let emails = Dictionary(uniqueKeysWithValues: members.map { ("staff:\($0.id)", $0.email) })
        let rows = members.map { member in
            Row(
                id: member.id,
                email: member.email,
                role: texts["role_\(member.role.rawValue)"] ?? member.role.rawValue,
                state: member.disabled ? texts["admin_staff_disabled"] ?? "" :
                    (member.isSetUp ? texts["admin_staff_active"] ?? "" : texts["admin_staff_invited"] ?? ""),
                twoFactor: member.hasTwoFactor,
                disabled: member.disabled,
                lastSignIn: member.lastSignedInAt?.formatted(format),
                isSelf: member.id == context.staff?.member.id
            )
        }
        let locks = try await store.lockedLogins().map { lock in
            Lock(
                key: lock.key,
                label: emails[lock.key] ?? (lock.key.hasPrefix("client:") ? texts["admin_lock_client"] ?? lock.key : texts["admin_lock_unknown"] ?? lock.key),
                until: lock.lockedUntil?.formatted(format) ?? ""
            )
        }
        return try services.adminPage(
            "admin-staff", titleKey: "admin_staff_title", path: "/admin/staff", context: context,
            body: Body(
                staff: rows, locks: locks, roles: StaffRole.allCases.map(\.rawValue),
                committees: services.committees.all.map { CommitteeOption(id: $0.id, label: "\($0.details.name) (\($0.details.city))") },
                setupLink: setupLink, setupEmail: setupEmail
            ),
            error: error,
            status: status
        )
    }
}

extension VigilRequestContext {
    /// An audit record naming the signed-in member and the client, to complete with an action.
    func auditActor(_ request: Request, _ services: VigilServices) -> AuditRecord {
        AuditRecord(
            staffID: staff?.member.id,
            actor: staff?.member.email ?? "anonymous",
            action: "",
            clientHash: services.clientHash(ClientAddress(request: request, context: self, behindProxy: services.configuration.behindProxy))
        )
    }
}

extension VigilServices {
    /// Creates an account and its one-time setup link.
    func inviteStaff(
        email: String, role: StaffRole, committeeID: Int64? = nil, actor: AuditRecord
    ) async throws -> (member: StaffMember, link: String) {
        let token = authentication.newToken()
        var record = actor
        record.action = "staff.created"
        record.details = ["role": role.rawValue]
        let lifetime = authentication.settings.setupLinkLifetime
        let member = try await store.createStaff(
            email: email, role: role, committeeID: committeeID, setupTokenHash: token.hash,
            setupExpiresAt: authentication.now().addingTimeInterval(Double(lifetime.components.seconds)),
            audit: record
        )
        return (member, "\(configuration.publicURL)/admin/setup/\(token.text)")
    }
}
