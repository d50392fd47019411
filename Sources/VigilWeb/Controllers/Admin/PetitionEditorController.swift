import Foundation
import Hummingbird
import VigilCore
import VigilStore

/// Petitions in the console: new drafts, texts per language (replaced while a draft, versioned
/// once open), the goal, external tallies with their history, and the petition's life from
/// draft to delivered.
struct PetitionEditorController {
    let services: VigilServices

    func addRoutes(to router: some RouterMethods<VigilRequestContext>) {
        let editing = router.group("/admin/petitions").add(middleware: PermissionMiddleware(permission: .editPetitions))
        editing.get(use: list)
        editing.post(use: create)
        editing.get("{slug}", use: edit)
        editing.post("{slug}/goal", use: goal)
        editing.post("{slug}/texts/{language}", use: saveText)
        editing.post("{slug}/tallies", use: addTally)
        router.group("/admin/petitions/{slug}/state")
            .add(middleware: PermissionMiddleware(permission: .publishPetitions))
            .post(use: changeState)
    }

    // MARK: View models

    struct Row {
        let slug: String
        let title: String
        let state: String
        let goal: String
        let confirmed: String
    }

    struct ListBody {
        let petitions: [Row]
        let languages: [LanguageOption]
    }

    struct LanguageOption {
        let tag: String
        let name: String
        let selected: Bool
    }

    struct TextForm {
        let language: String
        let languageName: String
        let action: String
        let versions: Int
        let form: [String: String]
        let errors: [String: String]
        let hasErrors: Bool
    }

    struct TallyRow {
        let source: String
        let count: String
        let countedOn: String
        let recordedOn: String
        let note: String
        let url: String
    }

    struct StateButton {
        let state: String
        let label: String
    }

    struct EditBody {
        let slug: String
        let title: String
        let state: String
        let stateName: String
        let isPublic: Bool
        let goal: Int
        let texts: [TextForm]
        let missingLanguages: [LanguageOption]
        let tallies: [TallyRow]
        let stateButtons: [StateButton]
        let versioned: Bool
        /// Whether the member may build the dossier and record deliveries.
        let mayDeliver: Bool
        /// The iframe partner sites paste, and the JSON counter they may read instead.
        let embedCode: String
        let countURL: String
    }

    // MARK: Handlers

    @Sendable func list(request: Request, context: VigilRequestContext) async throws -> HTML {
        try await listPage(context: context)
    }

    @Sendable func create(request: Request, context: VigilRequestContext) async throws -> Response {
        let form = try await services.verifiedForm(request, context: context)
        let texts = services.renderer.texts(context.consoleLanguage)
        let language = form["language"].flatMap(Language.init(rawValue:)) ?? .fallback
        var textForm = PetitionTextForm()
        textForm.title = form["title"] ?? ""
        textForm.summary = form["summary"] ?? ""
        textForm.addressees = form["addressees"] ?? ""
        textForm.action = form["action"] ?? ""
        guard case .success(let text) = textForm.validated(language: language) else {
            return try await listPage(context: context, error: texts["admin_petition_create_incomplete"], status: .unprocessableContent)
                .response(from: request, context: context)
        }
        do {
            var record = context.auditActor(request, services)
            record.action = "petition.created"
            let petition = try await services.store.createPetition(
                slug: (form["slug"] ?? "").trimmingCharacters(in: .whitespaces).lowercased(),
                goal: Int(form["goal"] ?? "") ?? 0,
                organisation: nil,
                text: text,
                audit: record
            )
            return Response.redirect(to: "/admin/petitions/\(petition.slug)", type: .normal)
        } catch let problem as PetitionEditProblem {
            return try await listPage(context: context, error: message(for: problem, in: context.consoleLanguage), status: .unprocessableContent)
                .response(from: request, context: context)
        }
    }

    @Sendable func edit(request: Request, context: VigilRequestContext) async throws -> HTML {
        try await editPage(slug: context.parameters.require("slug"), context: context, notice: noticeText(request, context))
    }

    @Sendable func goal(request: Request, context: VigilRequestContext) async throws -> Response {
        let form = try await services.verifiedForm(request, context: context)
        let petition = try await petition(context)
        guard let goal = Int(form["goal"] ?? ""), goal > 0 else {
            return try await editPage(
                slug: petition.slug, context: context, error: message(for: .goalNotPositive, in: context.consoleLanguage), status: .unprocessableContent
            ).response(from: request, context: context)
        }
        var record = context.auditActor(request, services)
        record.action = "petition.goal-changed"
        record.details = ["goal": String(goal)]
        try await services.store.setGoal(petitionID: petition.id, goal: goal, audit: record)
        return Response.redirect(to: "/admin/petitions/\(petition.slug)?saved=goal", type: .normal)
    }

    @Sendable func changeState(request: Request, context: VigilRequestContext) async throws -> Response {
        let form = try await services.verifiedForm(request, context: context)
        let petition = try await petition(context)
        guard let next = form["state"].flatMap(Petition.State.init(rawValue:)) else { throw HTTPError(.badRequest) }
        var record = context.auditActor(request, services)
        record.action = "petition.state-changed"
        do {
            try await services.store.setState(petitionID: petition.id, to: next, audit: record)
        } catch let problem as PetitionEditProblem {
            return try await editPage(slug: petition.slug, context: context, error: message(for: problem, in: context.consoleLanguage), status: .conflict)
                .response(from: request, context: context)
        }
        return Response.redirect(to: "/admin/petitions/\(petition.slug)?saved=state", type: .normal)
    }

    @Sendable func saveText(request: Request, context: VigilRequestContext) async throws -> Response {
        let form = try await services.verifiedForm(request, context: context)
        let petition = try await petition(context)
        guard let language = Language(rawValue: try context.parameters.require("language")) else { throw HTTPError(.notFound) }
        var textForm = PetitionTextForm()
        textForm.title = form["title"] ?? ""
        textForm.summary = form["summary"] ?? ""
        textForm.addressees = form["addressees"] ?? ""
        textForm.action = form["action"] ?? ""
        textForm.background = form["background"] ?? ""
        textForm.explainerTitle = form["explainer_title"] ?? ""
        textForm.explainer = form["explainer"] ?? ""
        textForm.sources = form["sources"] ?? ""
        switch textForm.validated(language: language) {
        case .failure(let problems):
            return try await editPage(
                slug: petition.slug, context: context, error: services.renderer.texts(context.consoleLanguage)["form_errors_heading"],
                rejected: (language, textForm, problems), status: .unprocessableContent
            ).response(from: request, context: context)
        case .success(let text):
            var record = context.auditActor(request, services)
            record.action = "petition.text-saved"
            try await services.store.saveText(petitionID: petition.id, text: text, audit: record)
            return Response.redirect(to: "/admin/petitions/\(petition.slug)?saved=text", type: .normal)
        }
    }

    @Sendable func addTally(request: Request, context: VigilRequestContext) async throws -> Response {
        let form = try await services.verifiedForm(request, context: context)
        let petition = try await petition(context)
        let texts = services.renderer.texts(context.consoleLanguage)
        let source = (form["source"] ?? "").trimmingCharacters(in: .whitespaces)
        let url = (form["url"] ?? "").trimmingCharacters(in: .whitespaces)
        let countedOn = (form["counted_on"] ?? "").trimmingCharacters(in: .whitespaces)
        let countedDate = countedOn.isEmpty ? nil : Date(day: countedOn)
        guard !source.isEmpty, source.count <= 200, let count = Int(form["count"] ?? ""), count >= 0,
              countedOn.isEmpty || countedDate != nil,
              url.isEmpty || URL(string: url).map({ ["http", "https"].contains($0.scheme ?? "") }) == true
        else {
            return try await editPage(
                slug: petition.slug, context: context, error: texts["admin_tally_invalid"], status: .unprocessableContent
            ).response(from: request, context: context)
        }
        let note = (form["note"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        var record = context.auditActor(request, services)
        record.action = "petition.tally-recorded"
        try await services.store.addExternalTally(
            petitionID: petition.id,
            tally: ExternalTally(
                sourceName: source, sourceURL: url.isEmpty ? nil : url, count: count, countedOn: countedDate,
                recordedOn: services.authentication.now(), note: note.isEmpty ? nil : note
            ),
            audit: record
        )
        return Response.redirect(to: "/admin/petitions/\(petition.slug)?saved=tally", type: .normal)
    }

    // MARK: Pages

    private func listPage(context: VigilRequestContext, error: String? = nil, status: HTTPResponse.Status = .ok) async throws -> HTML {
        let store = services.store
        let texts = services.renderer.texts(context.consoleLanguage)
        var rows: [Row] = []
        for slug in try await store.petitionSlugs() {
            guard let content = try await services.directory.content(slug: slug) else { continue }
            rows.append(
                Row(
                    slug: slug,
                    title: content.text(.fallback)?.title ?? slug,
                    state: texts["petition_state_\(content.petition.state.rawValue)"] ?? content.petition.state.rawValue,
                    goal: content.petition.goal.formatted(),
                    confirmed: store.liveCounts.counts(forPetition: content.petition.id).confirmed.formatted()
                )
            )
        }
        return try services.adminPage(
            "admin-petitions", titleKey: "admin_petitions_title", path: "/admin/petitions", context: context,
            body: ListBody(petitions: rows, languages: Self.languageOptions(selected: .fallback)),
            error: error, status: status
        )
    }

    private func editPage(
        slug: String,
        context: VigilRequestContext,
        notice: String? = nil,
        error: String? = nil,
        rejected: (Language, PetitionTextForm, PetitionTextForm.Problems)? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> HTML {
        guard let content = try await services.directory.content(slug: slug) else { throw HTTPError(.notFound) }
        let petition = content.petition
        let texts = services.renderer.texts(context.consoleLanguage)
        let catalogue = services.renderer.catalogue
        let day = Date.FormatStyle(date: .abbreviated, time: .omitted, timeZone: TimeZone(identifier: "UTC") ?? .current)

        var textForms: [TextForm] = []
        var languages = petition.languages
        if let rejected, !languages.contains(rejected.0) { languages.append(rejected.0) }
        for language in languages {
            let stored = content.texts[language].map(PetitionTextForm.init) ?? PetitionTextForm()
            let shown = rejected?.0 == language ? rejected?.1 ?? stored : stored
            let problems = rejected?.0 == language ? rejected?.2.byField ?? [:] : [:]
            var errors: [String: String] = [:]
            for (field, problem) in problems {
                var message = catalogue.text(problem.messageKey, in: context.consoleLanguage)
                if case .tooLong(let maximum) = problem { message = message.replacingOccurrences(of: "{maximum}", with: String(maximum)) }
                if case .malformedSource(let line) = problem { message = message.replacingOccurrences(of: "{line}", with: String(line)) }
                errors[field.rawValue] = message
            }
            textForms.append(
                TextForm(
                    language: language.tag,
                    languageName: language.nativeName,
                    action: "/admin/petitions/\(slug)/texts/\(language.tag)",
                    versions: try await services.store.textVersionCount(petitionID: petition.id, language: language),
                    form: [
                        "title": shown.title, "summary": shown.summary, "addressees": shown.addressees, "action": shown.action,
                        "background": shown.background, "explainer_title": shown.explainerTitle, "explainer": shown.explainer,
                        "sources": shown.sources,
                    ],
                    errors: errors,
                    hasErrors: !errors.isEmpty
                )
            )
        }
        let tallies = try await services.store.externalTallyHistory(petitionID: petition.id).map { record in
            TallyRow(
                source: record.tally.sourceName,
                count: record.tally.count.formatted(),
                countedOn: record.tally.countedOn?.formatted(day) ?? texts["admin_tally_undated"] ?? "",
                recordedOn: record.tally.recordedOn.formatted(day),
                note: record.tally.note ?? "",
                url: record.tally.sourceURL ?? ""
            )
        }
        let mayPublish = context.staff?.member.role.may(.publishPetitions) ?? false
        let buttons = mayPublish
            ? Petition.State.allCases.filter { petition.state.canChange(to: $0) }.map {
                StateButton(state: $0.rawValue, label: texts["admin_petition_to_\($0.rawValue)"] ?? $0.rawValue)
            }
            : []
        return try services.adminPage(
            "admin-petition", titleKey: "admin_petition_title", path: "/admin/petitions/\(slug)", context: context,
            body: EditBody(
                slug: slug,
                title: content.text(.fallback)?.title ?? slug,
                state: petition.state.rawValue,
                stateName: texts["petition_state_\(petition.state.rawValue)"] ?? petition.state.rawValue,
                isPublic: petition.state.isPublic,
                goal: petition.goal,
                texts: textForms,
                missingLanguages: Language.allCases.filter { !languages.contains($0) }.map {
                    LanguageOption(tag: $0.tag, name: $0.nativeName, selected: false)
                },
                tallies: tallies,
                stateButtons: buttons,
                versioned: petition.state.textsAreVersioned,
                mayDeliver: context.staff?.member.role.may(.deliverPetitions) ?? false,
                embedCode: "<iframe src=\"\(services.configuration.publicURL)/embed/\(slug)\" width=\"320\" height=\"340\" "
                    + "title=\"\(content.text(.fallback)?.title ?? slug)\" loading=\"lazy\" style=\"border:0\"></iframe>",
                countURL: "\(services.configuration.publicURL)/petitions/\(slug)/count.json"
            ),
            notice: notice,
            error: error,
            status: status
        )
    }

    // MARK: Helpers

    private func petition(_ context: VigilRequestContext) async throws -> Petition {
        guard let petition = try await services.store.petition(slug: try context.parameters.require("slug")) else {
            throw HTTPError(.notFound)
        }
        return petition
    }

    private func noticeText(_ request: Request, _ context: VigilRequestContext) -> String? {
        request.uri.queryParameters["saved"].flatMap { services.renderer.texts(context.consoleLanguage)["admin_saved_\($0)"] }
    }

    private func message(for problem: PetitionEditProblem, in language: Language) -> String {
        let texts = services.renderer.texts(language)
        switch problem {
        case .slugTaken: return texts["admin_petition_slug_taken"] ?? ""
        case .slugMalformed: return texts["admin_petition_slug_malformed"] ?? ""
        case .goalNotPositive: return texts["admin_petition_goal_invalid"] ?? ""
        case .unknownPetition: return texts["error_404_title"] ?? ""
        case .stateChangeNotAllowed: return texts["admin_petition_state_refused"] ?? ""
        }
    }

    static func languageOptions(selected: Language) -> [LanguageOption] {
        Language.allCases.map { LanguageOption(tag: $0.tag, name: $0.nativeName, selected: $0 == selected) }
    }
}
