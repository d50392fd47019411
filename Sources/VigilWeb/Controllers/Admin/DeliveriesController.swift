import Foundation
import Hummingbird
import VigilCore
import VigilStore

/// A petition's deliveries in the console: its addressees (the offices its text names and the
/// national delegations staff add), each delivery and each answer, recorded through the same
/// store calls as `vigil delivery`. Every change is in the audit log and shows at once on the
/// petition page under "What happened".
struct DeliveriesController {
    let services: VigilServices

    func addRoutes(to router: some RouterMethods<VigilRequestContext>) {
        let delivering = router.group("/admin/petitions/{slug}/deliveries")
            .add(middleware: PermissionMiddleware(permission: .deliverPetitions))
        delivering.get(use: list)
        delivering.post(use: recordDelivery)
        delivering.post("answers", use: recordAnswer)
        delivering.post("delegations", use: addDelegation)
    }

    /// Why a form was refused before it reached the store.
    private struct Refusal: Error {
        let field: String
        let messageKey: String
    }

    // MARK: Handlers

    @Sendable func list(request: Request, context: VigilRequestContext) async throws -> HTML {
        let petition = try await petition(context)
        let notice = request.uri.queryParameters["saved"].flatMap { services.renderer.texts(context.consoleLanguage)["admin_saved_\($0)"] }
        return try await page(petition: petition, context: context, notice: notice)
    }

    @Sendable func recordDelivery(request: Request, context: VigilRequestContext) async throws -> Response {
        try await change(.delivery, fields: ["addressee", "date", "method", "reference", "note"], request: request, context: context) {
            form, petition, audit in
            guard let method = form["method"].flatMap(Delivery.Method.init(rawValue:)) else {
                throw Refusal(field: "method", messageKey: "admin_delivery_method_unknown")
            }
            try await services.store.recordDelivery(
                petitionID: petition.id, addresseeID: try Self.addresseeID(form), at: try Self.day(form), method: method,
                reference: form["reference"], note: form["note"], audit: audit
            )
        }
    }

    @Sendable func recordAnswer(request: Request, context: VigilRequestContext) async throws -> Response {
        try await change(.answer, fields: ["addressee", "date", "summary", "reference"], request: request, context: context) {
            form, petition, audit in
            try await services.store.recordAnswer(
                petitionID: petition.id, addresseeID: try Self.addresseeID(form), at: try Self.day(form),
                summary: form["summary"] ?? "", reference: form["reference"], audit: audit
            )
        }
    }

    @Sendable func addDelegation(request: Request, context: VigilRequestContext) async throws -> Response {
        try await change(.delegation, fields: ["name", "country"], request: request, context: context) { form, petition, audit in
            _ = try await services.store.addDelegation(
                petitionID: petition.id, name: form["name"] ?? "", country: form["country"] ?? "", audit: audit
            )
        }
    }

    // MARK: Helpers

    /// Checks the form's token, makes the change, and either goes back to the page with a notice
    /// or shows the page again with the form as typed and a message beside the field at fault.
    private func change(
        _ kind: DeliveriesPage.Form,
        fields: [String],
        request: Request,
        context: VigilRequestContext,
        _ body: (FormBody, Petition, AuditRecord) async throws -> Void
    ) async throws -> Response {
        let form = try await services.verifiedForm(request, context: context)
        let petition = try await petition(context)
        let refusal: Refusal
        do {
            try await body(form, petition, context.auditActor(request, services))
            services.timelines.forget(petitionID: petition.id)
            return Response.redirect(to: "/admin/petitions/\(petition.slug)/deliveries?saved=\(kind.rawValue)", type: .normal)
        } catch let problem as DeliveryProblem {
            refusal = Self.refusal(problem)
        } catch let problem as Refusal {
            refusal = problem
        }
        let message = services.renderer.catalogue.text(
            refusal.messageKey, in: context.consoleLanguage, ["maximum": Store.maximumDeliveryText.formatted(.number.locale(context.consoleLanguage.locale))]
        )
        var values: [String: String] = [:]
        for field in fields { values[field] = form[field] ?? "" }
        let rejected = DeliveriesPage.Rejected(form: kind, values: values, field: refusal.field, message: message)
        return try await page(petition: petition, context: context, rejected: rejected, status: .unprocessableContent)
            .response(from: request, context: context)
    }

    private func page(
        petition: Petition,
        context: VigilRequestContext,
        notice: String? = nil,
        rejected: DeliveriesPage.Rejected? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> HTML {
        guard let content = try await services.directory.content(slug: petition.slug) else { throw HTTPError(.notFound) }
        let store = services.store
        // The offices the text names become addressees on first use, as with `vigil delivery`.
        try await store.seedAddressees(petitionID: petition.id)
        let body = DeliveriesPage(
            content: content,
            addressees: try await store.addressees(petitionID: petition.id),
            deliveries: try await store.deliveries(petitionID: petition.id),
            answers: try await store.deliveryAnswers(petitionID: petition.id),
            rejected: rejected,
            today: services.now(),
            language: context.consoleLanguage,
            catalogue: services.renderer.catalogue
        )
        return try services.adminPage(
            "admin-deliveries", titleKey: "admin_deliveries_title", path: "/admin/petitions/\(petition.slug)/deliveries",
            context: context, body: body, notice: notice, error: rejected?.message, status: status
        )
    }

    private func petition(_ context: VigilRequestContext) async throws -> Petition {
        guard let petition = try await services.store.petition(slug: try context.parameters.require("slug")) else {
            throw HTTPError(.notFound)
        }
        return petition
    }

    private static func addresseeID(_ form: FormBody) throws -> Int64 {
        guard let id = form["addressee"].flatMap({ Int64($0) }) else {
            throw Refusal(field: "addressee", messageKey: "admin_delivery_addressee_unknown")
        }
        return id
    }

    private static func day(_ form: FormBody) throws -> Date {
        guard let date = form["date"].flatMap({ Date(day: $0.trimmingCharacters(in: .whitespaces)) }) else {
            throw Refusal(field: "date", messageKey: "admin_delivery_date_invalid")
        }
        return date
    }

    private static func refusal(_ problem: DeliveryProblem) -> Refusal {
        let key = switch problem {
        case .empty: "field_required"
        case .tooLong: "field_too_long"
        case .unknownCountry: "admin_delivery_country_unknown"
        case .nameTaken: "admin_delivery_name_taken"
        case .unknownAddressee, .unknownPetition: "admin_delivery_addressee_unknown"
        case .dateInFuture: "admin_delivery_date_future"
        }
        return Refusal(field: problem.field.rawValue, messageKey: key)
    }
}
