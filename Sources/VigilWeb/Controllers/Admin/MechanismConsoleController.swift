import Foundation
import Hummingbird
import VigilCore
import VigilStore

/// The Moscow Mechanism tracker in the console: every participating State with its status,
/// a form to record a change with a dated public or internal note, and the whole history.
/// A change is a new entry that keeps the earlier ones, and goes into the audit log.
struct MechanismConsoleController {
    let services: VigilServices

    func addRoutes(to router: some RouterMethods<VigilRequestContext>) {
        let tracking = router.group("/admin/mechanism").add(middleware: PermissionMiddleware(permission: .trackMechanism))
        tracking.get(use: list)
        tracking.post(use: record)
    }

    /// Why a form was refused before it reached the store.
    private struct Refusal: Error {
        let field: String
        let messageKey: String
    }

    static let fields = ["country", "status", "date", "visibility", "note"]

    @Sendable func list(request: Request, context: VigilRequestContext) async throws -> HTML {
        let notice = request.uri.queryParameters["saved"] == nil ? nil : services.renderer.catalogue.text("admin_saved_mechanism", in: context.consoleLanguage)
        return try await page(context: context, notice: notice)
    }

    @Sendable func record(request: Request, context: VigilRequestContext) async throws -> Response {
        let form = try await services.verifiedForm(request, context: context)
        guard let tracker = try await services.mechanismTracker(for: .staff) else { throw HTTPError(.notFound) }
        let refusal: Refusal
        do {
            guard let status = form["status"].flatMap(AdvocacyStatus.init(rawValue:)) else {
                throw Refusal(field: "status", messageKey: "admin_mechanism_status_unknown")
            }
            guard let visibility = form["visibility"].flatMap(NoteVisibility.init(rawValue:)) else {
                throw Refusal(field: "visibility", messageKey: "admin_mechanism_visibility_unknown")
            }
            guard let day = form["date"].flatMap({ Date(day: $0.trimmingCharacters(in: .whitespaces)) }) else {
                throw Refusal(field: "date", messageKey: "admin_delivery_date_invalid")
            }
            try await services.store.recordAdvocacy(
                country: form["country"] ?? "", status: status, note: form["note"], visibility: visibility, on: day,
                among: tracker.states.map(\.country), audit: context.auditActor(request, services)
            )
            return Response.redirect(to: "/admin/mechanism?saved=1", type: .normal)
        } catch let problem as MechanismProblem {
            let key = switch problem {
            case .unknownCountry: "admin_mechanism_country_unknown"
            case .noteTooLong: "field_too_long"
            case .dateInFuture: "admin_delivery_date_future"
            }
            refusal = Refusal(field: problem.field.rawValue, messageKey: key)
        } catch let problem as Refusal {
            refusal = problem
        }
        let message = services.renderer.catalogue.text(
            refusal.messageKey, in: context.consoleLanguage, ["maximum": Store.maximumAdvocacyNote.formatted(.number.locale(context.consoleLanguage.locale))]
        )
        var values: [String: String] = [:]
        for field in Self.fields { values[field] = form[field] ?? "" }
        return try await page(
            context: context, tracker: tracker, rejected: (values, refusal.field, message), status: .unprocessableContent
        ).response(from: request, context: context)
    }

    private func page(
        context: VigilRequestContext,
        tracker: MechanismTracker? = nil,
        notice: String? = nil,
        rejected: (values: [String: String], field: String, message: String)? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> HTML {
        var current = tracker
        if current == nil { current = try await services.mechanismTracker(for: .staff) }
        guard let current else { throw HTTPError(.notFound) }
        let body = MechanismConsolePage(
            tracker: current,
            values: rejected?.values ?? ["date": TallyDay(services.now()).iso, "visibility": NoteVisibility.internal.rawValue],
            errors: rejected.map { [$0.field: $0.message] } ?? [:],
            words: services.registryText(context.consoleLanguage)
        )
        return try services.adminPage(
            "admin-mechanism", titleKey: "admin_mechanism_title", path: "/admin/mechanism",
            context: context, body: body, notice: notice, error: rejected?.message, status: status
        )
    }
}
