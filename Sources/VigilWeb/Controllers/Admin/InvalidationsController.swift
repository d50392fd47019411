import Foundation
import Hummingbird
import VigilCore
import VigilStore

/// Setting signatures aside in bulk: staff describe a flood (a network, an e-mail domain, a
/// country, a span of days), see how many counted signatures match, give a reason, and take
/// them out of the count as one batch that can be undone. Nothing is deleted; each signature
/// taken out or put back is an entry in the public tally log.
struct InvalidationsController {
    let services: VigilServices
    static let batchesShown = 50

    func addRoutes(to router: some RouterMethods<VigilRequestContext>) {
        let group = router.group("/admin/invalidations").add(middleware: PermissionMiddleware(permission: .invalidateSignatures))
        group.get(use: page)
        group.post(use: submit)
        group.post("{id}/undo", use: undo)
    }

    /// The form as staff filled it in, kept to show it again.
    struct Form {
        var petition = ""
        var network = ""
        var domain = ""
        var country = ""
        var from = ""
        var to = ""
        var reason = ""
        /// A network or domain the dashboard pointed out, known only by its keyed hash.
        var networkHash = ""
        var domainHash = ""

        init() {}

        init(_ body: FormBody) {
            petition = body["petition"] ?? ""
            network = body["network"]?.trimmingCharacters(in: .whitespaces) ?? ""
            domain = body["domain"]?.trimmingCharacters(in: .whitespaces) ?? ""
            country = body["country"] ?? ""
            from = body["from"]?.trimmingCharacters(in: .whitespaces) ?? ""
            to = body["to"]?.trimmingCharacters(in: .whitespaces) ?? ""
            reason = body["reason"] ?? ""
            networkHash = body["network_hash"] ?? ""
            domainHash = body["domain_hash"] ?? ""
        }
    }

    struct BatchRow {
        let id: Int64
        let createdAt: String
        let actor: String
        let criteria: String
        let reason: String
        let count: Int
        let still: Int
        let undone: String?
        let canUndo: Bool
    }

    struct Body {
        let form: Form
        /// The form names a network or domain the dashboard pointed out.
        let flaggedNetwork: Bool
        let flaggedDomain: Bool
        let petitions: [PetitionOption]
        let countries: [SignFormView.CountryOption]
        /// Set after a preview: how many counted signatures match now.
        let matches: Int?
        let previewed: Bool
        /// A preview found signatures to set aside.
        let canApply: Bool
        let batches: [BatchRow]
    }

    @Sendable func page(request: Request, context: VigilRequestContext) async throws -> HTML {
        var form = Form()
        form.petition = request.uri.queryParameters["petition"].map(String.init) ?? ""
        form.networkHash = request.uri.queryParameters["network_hash"].map(String.init) ?? ""
        form.domainHash = request.uri.queryParameters["domain_hash"].map(String.init) ?? ""
        let notice = request.uri.queryParameters["done"] != nil ? "admin_invalidation_done"
            : request.uri.queryParameters["undone"] != nil ? "admin_invalidation_undone" : nil
        return try await render(form: form, matches: nil, context: context, notice: notice.map { texts(context)[$0] ?? $0 })
    }

    /// Previews the batch, or sets it aside once previewed with the same count and a reason.
    @Sendable func submit(request: Request, context: VigilRequestContext) async throws -> Response {
        let body = try await services.verifiedForm(request, context: context)
        let form = Form(body)
        let criteria: InvalidationCriteria
        do {
            criteria = try await self.criteria(form)
        } catch let problem as Problem {
            return try await render(
                form: form, matches: nil, context: context, error: texts(context)[problem.key] ?? problem.key, status: .unprocessableContent
            )
                .response(from: request, context: context)
        }
        let matches = try await services.store.invalidationMatches(criteria)
        guard body["action"] == "apply" else {
            return try await render(form: form, matches: matches, context: context).response(from: request, context: context)
        }
        // What staff saw in the preview must still be what they set aside.
        guard body["expected"].flatMap(Int.init) == matches else {
            return try await render(
                form: form, matches: matches, context: context, error: texts(context)["admin_invalidation_changed"], status: .conflict
            ).response(from: request, context: context)
        }
        var audit = context.auditActor(request, services)
        audit.action = "signatures.invalidated"
        do {
            let batch = try await services.store.invalidate(criteria, reason: form.reason, audit: audit)
            context.logger.notice("signatures set aside", metadata: ["batch": "\(batch.id)", "count": "\(batch.signatureCount)"])
        } catch StoreError.invalidRequest(let problem) {
            return try await render(form: form, matches: matches, context: context, error: problem, status: .unprocessableContent)
                .response(from: request, context: context)
        }
        return Response.redirect(to: "/admin/invalidations?petition=\(form.petition)&done=1", type: .normal)
    }

    /// Counts a batch's signatures again.
    @Sendable func undo(request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try await services.verifiedForm(request, context: context)
        guard let id = Int64(try context.parameters.require("id")),
              let batch = try await services.store.invalidationBatch(id: id),
              let petition = try await services.store.petition(id: batch.petitionID)
        else { throw HTTPError(.notFound) }
        guard batch.undoneAt == nil else { throw HTTPError(.conflict) }
        var audit = context.auditActor(request, services)
        audit.action = "signatures.invalidation-undone"
        _ = try await services.store.undoInvalidation(batchID: id, audit: audit)
        return Response.redirect(to: "/admin/invalidations?petition=\(petition.slug)&undone=1", type: .normal)
    }

    /// A mistake in the form, in words staff can act on.
    /// A refused form, named by the key of its message in the catalogue.
    struct Problem: Error {
        let key: String
    }

    private func texts(_ context: VigilRequestContext) -> [String: String] { services.renderer.texts(context.consoleLanguage) }

    private func problem(_ key: String) -> Problem {
        Problem(key: key)
    }

    /// Reads the form into criteria, or names what is wrong with it.
    private func criteria(_ form: Form) async throws -> InvalidationCriteria {
        guard let petition = try await services.store.petition(slug: form.petition) else { throw problem("admin_invalidation_petition") }
        var criteria = InvalidationCriteria(petitionID: petition.id, summary: "")
        var summary: [String] = []
        if !form.network.isEmpty {
            guard let range = try? NetworkRange(parsing: form.network) else { throw problem("admin_invalidation_network_invalid") }
            criteria.networkHash = services.networkHash(range)
            summary.append("network \(range)")
        }
        if form.network.isEmpty, !form.networkHash.isEmpty {
            guard form.networkHash.count == 32, form.networkHash.allSatisfy(\.isHexDigit) else { throw problem("admin_invalidation_network_invalid") }
            criteria.networkHash = form.networkHash
            summary.append("network flagged on the dashboard (\(form.networkHash.prefix(8)))")
        }
        if form.domain.isEmpty, !form.domainHash.isEmpty {
            guard form.domainHash.count == 64, form.domainHash.allSatisfy(\.isHexDigit) else { throw problem("admin_invalidation_domain_invalid") }
            criteria.emailDomainHash = form.domainHash
            summary.append("e-mail domain flagged on the dashboard (\(form.domainHash.prefix(8)))")
        }
        if !form.domain.isEmpty {
            guard let domain = EmailAddress.domain(typed: form.domain) else { throw problem("admin_invalidation_domain_invalid") }
            criteria.emailDomain = domain
            summary.append("e-mail domain \(domain)")
        }
        if !form.country.isEmpty {
            guard let country = Country(code: form.country) else { throw problem("admin_invalidation_country_invalid") }
            criteria.country = country.code
            summary.append("country \(country.code)")
        }
        if !form.from.isEmpty {
            guard let from = Date(day: form.from) else { throw problem("admin_invalidation_date_invalid") }
            criteria.signedFrom = from
            summary.append("signed on or after \(form.from)")
        }
        if !form.to.isEmpty {
            guard let to = Date(day: form.to) else { throw problem("admin_invalidation_date_invalid") }
            // The last day is included: the range ends at the next midnight.
            criteria.signedBefore = to.addingTimeInterval(86_400)
            summary.append("signed on or before \(form.to)")
        }
        if let from = criteria.signedFrom, let before = criteria.signedBefore, from >= before {
            throw problem("admin_invalidation_dates_reversed")
        }
        guard !summary.isEmpty else { throw problem("admin_invalidation_no_criteria") }
        criteria.summary = summary.joined(separator: "; ")
        return criteria
    }

    private func render(
        form: Form,
        matches: Int?,
        context: VigilRequestContext,
        notice: String? = nil,
        error: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> HTML {
        var form = form
        var petitions = try await services.petitionOptions(selected: form.petition)
        if !petitions.contains(where: \.selected), !petitions.isEmpty {
            form.petition = petitions[0].slug
            petitions[0].selected = true
        }
        let format = Date.FormatStyle(date: .abbreviated, time: .shortened, timeZone: TimeZone(identifier: "UTC") ?? .current)
        var batches: [BatchRow] = []
        if let petition = try await services.store.petition(slug: form.petition) {
            batches = try await services.store.invalidationBatches(petitionID: petition.id, limit: Self.batchesShown).map { batch in
                BatchRow(
                    id: batch.id,
                    createdAt: batch.createdAt.formatted(format),
                    actor: batch.actor,
                    criteria: batch.criteria,
                    reason: batch.reason,
                    count: batch.signatureCount,
                    still: batch.stillInvalidated,
                    undone: batch.undoneAt.map { "\($0.formatted(format)), \(batch.undoneBy ?? "")" },
                    canUndo: batch.undoneAt == nil
                )
            }
        }
        let countries = SignFormView.countryMenu(priority: [], chosen: form.country, language: context.consoleLanguage).other
        return try services.adminPage(
            "admin-invalidations", titleKey: "admin_invalidations_title", path: "/admin/invalidations", context: context,
            body: Body(
                form: form, flaggedNetwork: !form.networkHash.isEmpty, flaggedDomain: !form.domainHash.isEmpty,
                petitions: petitions, countries: countries, matches: matches,
                previewed: matches != nil, canApply: (matches ?? 0) > 0, batches: batches
            ),
            notice: notice,
            error: error,
            status: status
        )
    }
}
