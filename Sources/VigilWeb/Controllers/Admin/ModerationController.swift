import Foundation
import Hummingbird
import VigilCore
import VigilStore

/// Public names and comments wait here until staff approve or hide them; only approved ones
/// appear on the petition page.
struct ModerationController {
    let services: VigilServices
    static let shown = 50

    func addRoutes(to router: some RouterMethods<VigilRequestContext>) {
        let group = router.group("/admin/moderation").add(middleware: PermissionMiddleware(permission: .moderate))
        group.get(use: queue)
        group.post("{id}", use: decide)
    }

    struct Item {
        let id: Int64
        let petition: String
        let name: String?
        let comment: String?
        let country: String
    }

    struct Body {
        let items: [Item]
    }

    @Sendable func queue(request: Request, context: VigilRequestContext) async throws -> HTML {
        var items: [Item] = []
        for slug in try await services.store.petitionSlugs() {
            guard let content = try await services.directory.content(slug: slug) else { continue }
            for record in try await services.store.moderationQueue(petitionID: content.petition.id, limit: Self.shown) {
                items.append(
                    Item(
                        id: record.id,
                        petition: content.text(.fallback)?.title ?? slug,
                        name: record.nameModeration == .pending ? record.name : nil,
                        comment: record.commentModeration == .pending ? record.comment : nil,
                        country: Country(code: record.country)?.name(in: context.consoleLanguage) ?? record.country
                    )
                )
            }
        }
        return try services.adminPage(
            "admin-moderation", titleKey: "admin_moderation_title", path: "/admin/moderation", context: context,
            body: Body(items: items)
        )
    }

    @Sendable func decide(request: Request, context: VigilRequestContext) async throws -> Response {
        let form = try await services.verifiedForm(request, context: context)
        guard let id = Int64(try context.parameters.require("id")) else { throw HTTPError(.notFound) }
        let allowed: Set<SignatureRecord.Moderation> = [.approved, .hidden]
        let name = form["name"].flatMap(SignatureRecord.Moderation.init(rawValue:)).flatMap { allowed.contains($0) ? $0 : nil }
        let comment = form["comment"].flatMap(SignatureRecord.Moderation.init(rawValue:)).flatMap { allowed.contains($0) ? $0 : nil }
        guard name != nil || comment != nil else { throw HTTPError(.badRequest) }
        guard try await services.store.signatureRecord(id: id) != nil else { throw HTTPError(.notFound) }
        var record = context.auditActor(request, services)
        record.action = "signature.moderated"
        try await services.store.moderate(signatureID: id, name: name, comment: comment, audit: record)
        return Response.redirect(to: "/admin/moderation", type: .normal)
    }
}
