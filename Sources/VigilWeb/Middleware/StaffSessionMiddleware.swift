import Foundation
import Hummingbird
import VigilCore
import VigilStore

/// Finds the staff member a browser is signed in as, from the session cookie, and ends
/// sessions that are idle too long, too old, or belong to a disabled account.
struct StaffSessionMiddleware: RouterMiddleware {
    typealias Context = VigilRequestContext

    let authentication: StaffAuthentication

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let token = request.cookies[StaffAuthentication.sessionCookie]?.value {
            context.staff = try await signedIn(token: token)
        }
        context.consoleLanguage = Language.chosen(for: request, context: context, offered: Language.allCases, default: .fallback)
        return try await next(request, context)
    }

    private func signedIn(token: String) async throws -> SignedInStaff? {
        let hash = StaffAuthentication.hash(token: token)
        let store = authentication.store
        guard let session = try await store.staffSession(idHash: hash) else { return nil }
        let now = authentication.now()
        let idleLimit = session.stage == .signedIn ? authentication.settings.idleTimeout : authentication.settings.partialTimeout
        let idleFor = now.timeIntervalSince(session.lastSeenAt)
        guard session.expiresAt > now, idleFor < Double(idleLimit.components.seconds),
              let member = try await store.staffMember(id: session.staffID), !member.disabled
        else {
            try await store.endStaffSession(idHash: hash)
            return nil
        }
        // Writing on every request would make each page view a write; once a minute is enough
        // for an idle timeout counted in minutes.
        if idleFor > 60 {
            try await store.touchStaffSession(idHash: hash)
        }
        return SignedInStaff(member: member, session: session, sessionHash: hash)
    }
}

/// Lets a request through only for a fully signed-in staff member whose role has the permission.
/// Anyone else is sent to sign in (or to finish signing in); a signed-in member without the
/// permission gets 403.
struct PermissionMiddleware: RouterMiddleware {
    typealias Context = VigilRequestContext

    /// The member needs at least one of these.
    let permissions: Set<StaffPermission>

    init(permission: StaffPermission) {
        permissions = [permission]
    }

    init(anyOf permissions: Set<StaffPermission>) {
        self.permissions = permissions
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let staff = context.staff else {
            return Response.redirect(to: "/admin/login", type: .normal)
        }
        switch staff.session.stage {
        case .secondFactor: return Response.redirect(to: "/admin/login/code", type: .normal)
        case .enrol: return Response.redirect(to: "/admin/two-factor", type: .normal)
        case .signedIn: break
        }
        guard !permissions.isDisjoint(with: staff.member.role.permissions) else { throw HTTPError(.forbidden) }
        return try await next(request, context)
    }
}
