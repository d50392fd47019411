import Foundation
import Hummingbird
import VigilCore
import VigilStore

/// Writing updates in the console, publishing them, and e-mailing them once to the signers who
/// asked to be kept informed.
struct UpdatesEditorController {
    let services: VigilServices

    func addRoutes(to router: some RouterMethods<VigilRequestContext>) {
        let posting = router.group("/admin/updates").add(middleware: PermissionMiddleware(permission: .postUpdates))
        posting.get(use: list)
        posting.post(use: create)
        posting.post("{id}/publish", use: publish)
        router.group("/admin/updates/{id}/send")
            .add(middleware: PermissionMiddleware(permission: .sendUpdates))
            .post(use: send)
    }

    struct Row {
        let id: Int64
        let title: String
        let petition: String
        let languages: String
        let published: String?
        let emailed: String?
        let canPublish: Bool
        let canSend: Bool
        let recipients: String
        let safeHTML: String
    }

    struct Body {
        let updates: [Row]
        let petitions: [PetitionOption]
        let languages: [PetitionEditorController.LanguageOption]
    }

    @Sendable func list(request: Request, context: VigilRequestContext) async throws -> HTML {
        try await page(request: request, context: context)
    }

    @Sendable func create(request: Request, context: VigilRequestContext) async throws -> Response {
        let form = try await services.verifiedForm(request, context: context)
        let texts = services.renderer.texts(context.consoleLanguage)
        let title = (form["title"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let body = (form["body"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard let slug = form["petition"], let petition = try await services.store.petition(slug: slug),
              let language = form["language"].flatMap(Language.init(rawValue:)),
              !title.isEmpty, title.count <= 200, !body.isEmpty, body.count <= 20_000
        else {
            return try await page(request: request, context: context, error: texts["admin_update_incomplete"], status: .unprocessableContent)
                .response(from: request, context: context)
        }
        var record = context.auditActor(request, services)
        record.action = "update.created"
        _ = try await services.store.createUpdate(
            petitionID: petition.id, texts: [language: PetitionUpdate.Text(title: title, body: body)], audit: record
        )
        return Response.redirect(to: "/admin/updates", type: .normal)
    }

    @Sendable func publish(request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try await services.verifiedForm(request, context: context)
        let update = try await update(context)
        var record = context.auditActor(request, services)
        record.action = "update.published"
        try await services.store.publishUpdate(id: update.id, audit: record)
        return Response.redirect(to: "/admin/updates", type: .normal)
    }

    @Sendable func send(request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try await services.verifiedForm(request, context: context)
        let update = try await update(context)
        var record = context.auditActor(request, services)
        record.action = "update.emailed"
        do {
            try await services.store.emailUpdate(id: update.id, audit: record)
        } catch let problem as UpdateSendProblem {
            let key = problem == .alreadySent ? "admin_update_already_sent" : "admin_update_not_published"
            return try await page(
                request: request, context: context, error: services.renderer.texts(context.consoleLanguage)[key], status: .conflict
            ).response(from: request, context: context)
        }
        return Response.redirect(to: "/admin/updates?sent=1", type: .normal)
    }

    private func update(_ context: VigilRequestContext) async throws -> PetitionUpdate {
        guard let id = Int64(try context.parameters.require("id")), let update = try await services.store.update(id: id) else {
            throw HTTPError(.notFound)
        }
        return update
    }

    private func page(
        request: Request,
        context: VigilRequestContext,
        error: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> HTML {
        let texts = services.renderer.texts(context.consoleLanguage)
        let format = Date.FormatStyle(date: .abbreviated, time: .shortened, timeZone: TimeZone(identifier: "UTC") ?? .current)
        let maySend = context.staff?.member.role.may(.sendUpdates) ?? false
        var rows: [Row] = []
        var petitions: [PetitionOption] = []
        for slug in try await services.store.petitionSlugs() {
            guard let content = try await services.directory.content(slug: slug) else { continue }
            let title = content.text(.fallback)?.title ?? slug
            petitions.append(PetitionOption(slug: slug, title: title))
            let recipients = try await services.store.informedSignerCount(petitionID: content.petition.id)
            for update in try await services.store.updates(petitionID: content.petition.id, includeDrafts: true) {
                let text = update.text(.fallback)
                rows.append(
                    Row(
                        id: update.id,
                        title: text?.title ?? "",
                        petition: title,
                        languages: update.texts.keys.map(\.nativeName).sorted().joined(separator: ", "),
                        published: update.publishedAt?.formatted(format),
                        emailed: update.emailedAt?.formatted(format),
                        canPublish: update.publishedAt == nil,
                        canSend: maySend && update.publishedAt != nil && update.emailedAt == nil,
                        recipients: services.renderer.catalogue.text("admin_update_recipients", count: recipients, in: context.consoleLanguage),
                        safeHTML: UpdateMarkdown.html(text?.body ?? "").text
                    )
                )
            }
        }
        return try services.adminPage(
            "admin-updates", titleKey: "admin_updates_title", path: "/admin/updates", context: context,
            body: Body(updates: rows, petitions: petitions, languages: PetitionEditorController.languageOptions(selected: .fallback)),
            notice: request.uri.queryParameters["sent"] != nil ? texts["admin_update_sent"] : nil,
            error: error,
            status: status
        )
    }
}
