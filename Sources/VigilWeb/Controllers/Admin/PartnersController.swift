import Foundation
import Hummingbird
import VigilCore
import VigilStore

/// Partner sites in the console: admins register them, give them a token (shown once), mark
/// them trusted or not, and revoke or replace their token.
struct PartnersController {
    let services: VigilServices

    func addRoutes(to router: some RouterMethods<VigilRequestContext>) {
        let partners = router.group("/admin/partners").add(middleware: PermissionMiddleware(permission: .managePartners))
        partners.get(use: list)
        partners.post(use: create)
        partners.post("{id}/revoke", use: revoke)
        partners.post("{id}/token", use: reissue)
        partners.post("{id}/trust", use: trust)
    }

    struct Row {
        let id: Int64
        let name: String
        let website: String
        let contact: String
        let trusted: Bool
        let revoked: Bool
        let tokenHint: String
        let lastUsed: String
        let signatures: String
    }

    /// A token just issued, shown on this answer only.
    struct IssuedToken {
        let partner: String
        let token: String
        let message: String
    }

    struct ListBody {
        let partners: [Row]
        let hasPartners: Bool
        let issued: IssuedToken?
        let apiHint: String
        let values: [String: String]
        let errors: [String: String]
        let trusted: Bool
    }

    @Sendable func list(request: Request, context: VigilRequestContext) async throws -> HTML {
        let notice = request.uri.queryParameters["saved"] == nil ? nil : text("admin_partner_saved", context)
        return try await page(context: context, notice: notice)
    }

    @Sendable func create(request: Request, context: VigilRequestContext) async throws -> Response {
        let body = try await services.verifiedForm(request, context: context)
        do {
            let details = try PartnerDetails.checked(
                name: body["name"] ?? "", website: body["website"] ?? "", contact: body["contact"] ?? "", trusted: body.isChecked("trusted")
            )
            let (partner, token) = try await services.store.createPartner(details, audit: context.auditActor(request, services))
            // Shown in this answer, never in an address that a browser's history or a proxy log would keep.
            return try await page(context: context, issued: issued(partner, token, context)).response(from: request, context: context)
        } catch let problem as PartnerProblem {
            var values: [String: String] = [:]
            for field in PartnerProblem.Field.allCases { values[field.rawValue] = body[field.rawValue] ?? "" }
            let message = message(problem, context)
            return try await page(
                context: context, values: values, errors: [problem.field.rawValue: message], trusted: body.isChecked("trusted"),
                error: message, status: .unprocessableContent
            ).response(from: request, context: context)
        }
    }

    @Sendable func revoke(request: Request, context: VigilRequestContext) async throws -> Response {
        let id = try partnerID(context)
        _ = try await services.verifiedForm(request, context: context)
        _ = try await services.store.revokePartner(id: id, audit: context.auditActor(request, services))
        return Response.redirect(to: "/admin/partners?saved=1", type: .normal)
    }

    @Sendable func reissue(request: Request, context: VigilRequestContext) async throws -> Response {
        let id = try partnerID(context)
        _ = try await services.verifiedForm(request, context: context)
        let (partner, token) = try await services.store.reissuePartnerToken(id: id, audit: context.auditActor(request, services))
        return try await page(context: context, issued: issued(partner, token, context)).response(from: request, context: context)
    }

    @Sendable func trust(request: Request, context: VigilRequestContext) async throws -> Response {
        let id = try partnerID(context)
        let body = try await services.verifiedForm(request, context: context)
        _ = try await services.store.setPartnerTrusted(id: id, body["trusted"] == "yes", audit: context.auditActor(request, services))
        return Response.redirect(to: "/admin/partners?saved=1", type: .normal)
    }

    private func partnerID(_ context: VigilRequestContext) throws -> Int64 {
        guard let id = Int64(try context.parameters.require("id")) else { throw HTTPError(.notFound) }
        return id
    }

    private func issued(_ partner: Partner, _ token: PartnerToken, _ context: VigilRequestContext) -> IssuedToken {
        IssuedToken(
            partner: partner.details.name,
            token: token.text,
            message: services.renderer.catalogue.text("admin_partner_token_once", in: context.consoleLanguage, ["name": partner.details.name])
        )
    }

    private func page(
        context: VigilRequestContext, issued: IssuedToken? = nil, values: [String: String] = [:], errors: [String: String] = [:],
        trusted: Bool = false, notice: String? = nil, error: String? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> HTML {
        let language = context.consoleLanguage
        var signatures: [Int64: Int] = [:]
        for slug in try await services.store.petitionSlugs() {
            guard let petition = try await services.store.petition(slug: slug) else { continue }
            signatures.merge(try await services.store.partnerCounts(petitionID: petition.id), uniquingKeysWith: +)
        }
        let format = Date.FormatStyle(date: .abbreviated, time: .shortened, timeZone: TimeZone(identifier: "UTC") ?? .current)
            .locale(language.locale)
        let rows = try await services.store.partners().map { partner in
            Row(
                id: partner.id,
                name: partner.details.name,
                website: partner.details.website,
                contact: partner.details.contact,
                trusted: partner.details.trusted,
                revoked: partner.isRevoked,
                tokenHint: "…" + partner.tokenHint,
                lastUsed: partner.lastUsedAt?.formatted(format) ?? text("admin_partner_never_used", context),
                signatures: (signatures[partner.id] ?? 0).formatted(.number.locale(language.locale))
            )
        }
        let slug = try await services.store.petitionSlugs().first ?? "{slug}"
        return try services.adminPage(
            "admin-partners", titleKey: "admin_partners_title", path: "/admin/partners", context: context,
            body: ListBody(
                partners: rows, hasPartners: !rows.isEmpty, issued: issued,
                apiHint: services.renderer.catalogue.text(
                    "admin_partner_api_hint", in: language,
                    ["endpoint": "\(services.configuration.publicURL)/api/v1/petitions/\(slug)/signatures"]
                ),
                values: values, errors: errors, trusted: trusted
            ),
            notice: notice, error: error, status: status
        )
    }

    private func message(_ problem: PartnerProblem, _ context: VigilRequestContext) -> String {
        var values: [String: String] = [:]
        if case .tooLong(let maximum) = problem.kind { values["maximum"] = maximum.formatted(.number.locale(context.consoleLanguage.locale)) }
        return services.renderer.catalogue.text(problem.messageKey, in: context.consoleLanguage, values)
    }

    private func text(_ key: String, _ context: VigilRequestContext) -> String {
        services.renderer.catalogue.text(key, in: context.consoleLanguage)
    }
}
