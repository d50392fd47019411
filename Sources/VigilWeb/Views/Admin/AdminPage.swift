import Hummingbird
import VigilCore

/// Every console page: the shared layout, the console's navigation for the signed-in member's
/// role, and the page's own model in `body`.
struct AdminPage {
    struct NavLink {
        let href: String
        let label: String
        let current: Bool
    }

    let layout: Layout
    let t: [String: String]
    let title: String
    let nav: [NavLink]
    /// The signed-in member's address, when fully signed in.
    let account: String?
    let csrf: String
    /// A message about what just happened, or what went wrong.
    let notice: String?
    let error: String?
    let body: Any

    /// The console's sections and the permission each needs.
    static let sections: [(path: String, key: String, permission: StaffPermission)] = [
        ("/admin", "admin_nav_dashboard", .viewDashboard),
        ("/admin/petitions", "admin_nav_petitions", .editPetitions),
        ("/admin/signatures", "admin_nav_signatures", .findSignatures),
        ("/admin/invalidations", "admin_nav_invalidations", .invalidateSignatures),
        ("/admin/moderation", "admin_nav_moderation", .moderate),
        ("/admin/updates", "admin_nav_updates", .postUpdates),
        ("/admin/mechanism", "admin_nav_mechanism", .trackMechanism),
        ("/admin/committees", "admin_nav_committees", .manageCommittees),
        ("/admin/paper", "admin_nav_paper", .submitPaper),
        ("/admin/partners", "admin_nav_partners", .managePartners),
        ("/admin/outbox", "admin_nav_outbox", .manageOutbox),
        ("/admin/staff", "admin_nav_staff", .manageStaff),
        ("/admin/audit", "admin_nav_audit", .viewAuditLog),
    ]
}

extension VigilServices {
    /// Renders a console page in the interface's language with the navigation the member may use.
    func adminPage(
        _ template: String,
        titleKey: String,
        path: String,
        context: VigilRequestContext,
        body: Any = [String: String](),
        notice: String? = nil,
        error: String? = nil,
        status: HTTPResponse.Status = .ok
    ) throws -> HTML {
        let language = context.consoleLanguage
        let texts = renderer.texts(language)
        let title = texts[titleKey] ?? titleKey
        let signedIn = context.staff.flatMap { $0.session.stage == .signedIn ? $0.member : nil }
        let nav = signedIn.map { member -> [AdminPage.NavLink] in
            var sections = AdminPage.sections.filter { member.role.may($0.permission) }
            // A coordinator's way to their own committee, where others see the list of all.
            if let committeeID = member.committeeID, member.role.may(.manageOwnCommittee), !member.role.may(.manageCommittees) {
                sections.append(("/admin/committees/\(committeeID)", "admin_nav_own_committee", .manageOwnCommittee))
            }
            return sections.map { section in
                AdminPage.NavLink(
                    href: section.path,
                    label: texts[section.key] ?? section.key,
                    current: section.path == "/admin" ? path == "/admin" : path.hasPrefix(section.path)
                )
            }
        } ?? []
        let page = AdminPage(
            // Every console page offers all four languages; the choice is remembered in the language cookie.
            layout: renderer.layout(language: language, title: title, path: path, offered: Language.allCases),
            t: texts,
            title: title,
            nav: nav,
            account: signedIn?.email,
            csrf: formToken(context),
            notice: notice,
            error: error,
            body: body
        )
        var headers = HTTPFields()
        // Console pages hold personal data: no cache, proxy or browser history may keep them.
        headers[.cacheControl] = "no-store"
        return HTML(status: status, try renderer.render(template, page), headers: headers)
    }
}
