import Foundation
import Hummingbird
import VigilCore
import VigilStore

/// Local committees in the console: staff create them and change their details; each
/// committee's page shows its referral link, the QR code for its posters and what the link
/// brought in. A coordinator sees their own committee's page and no other.
struct CommitteesController {
    let services: VigilServices

    func addRoutes(to router: some RouterMethods<VigilRequestContext>) {
        let managing = router.group("/admin/committees").add(middleware: PermissionMiddleware(permission: .manageCommittees))
        managing.get(use: list)
        managing.post(use: create)
        managing.post("{id}", use: update)
        router.group("/admin/committees")
            .add(middleware: PermissionMiddleware(anyOf: [.manageCommittees, .manageOwnCommittee]))
            .get("{id}", use: show)
    }

    static let fields = ["name", "city", "country", "contact", "goal", "code"]

    struct Row {
        let id: Int64
        let name: String
        let place: String
        let code: String
        let signatures: String
        let goal: String?
        let shown: Bool
    }

    struct ListBody {
        let committees: [Row]
        let hasCommittees: Bool
        let petitions: [SelectOption]
        /// Whether to ask which petition: only when there is more than one.
        let hasPetitions: Bool
        let form: CommitteeForm
    }

    struct ShowBody {
        let name: String
        let place: String
        let contact: String?
        let languages: String
        let referralLink: String
        let qrPath: String
        let confirmed: String
        let pending: String
        let goal: String?
        let goalValue: Int
        let confirmedValue: Int
        /// Whether the committee is in the public league.
        let shown: Bool
        let chart: DayChart
        let countries: [DashboardController.CountryRow]
        /// The committee's paper batches, newest first.
        let paperBatches: [PaperController.BatchRow]
        let hasPaperBatches: Bool
        /// The edit form, for staff who manage every committee; coordinators only read.
        let form: CommitteeForm?
    }


    /// The committee form as shown: the values typed, the error beside the refused field.
    struct CommitteeForm {
        let action: String
        let values: [String: String]
        let errors: [String: String]
        let countries: [SelectOption]
        let languages: [SelectOption]
        let shownInLeague: Bool
        let isNew: Bool
    }

    @Sendable func list(request: Request, context: VigilRequestContext) async throws -> HTML {
        let notice = request.uri.queryParameters["saved"] == nil ? nil : services.renderer.catalogue.text("admin_committee_saved", in: context.consoleLanguage)
        return try await listPage(context: context, form: newForm(in: context.consoleLanguage), notice: notice)
    }

    @Sendable func create(request: Request, context: VigilRequestContext) async throws -> Response {
        let body = try await services.verifiedForm(request, context: context)
        let petitions = try await publicPetitions()
        let petitionID = body["petition"].flatMap(Int64.init) ?? petitions.first?.id
        do {
            guard let petitionID, petitions.contains(where: { $0.id == petitionID }) else {
                throw StoreError.notFound("petition")
            }
            let code = try Self.chosenCode(body["code"] ?? "")
            let details = try Self.details(body)
            let committee = try await services.store.createCommittee(
                petitionID: petitionID, code: code, details: details, audit: context.auditActor(request, services)
            )
            try await services.committees.reload()
            return Response.redirect(to: "/admin/committees/\(committee.id)?saved=1", type: .normal)
        } catch let problem as CommitteeProblem {
            return try await listPage(
                context: context, form: form(body, problem: problem, action: "/admin/committees", isNew: true, in: context.consoleLanguage),
                error: message(problem, in: context.consoleLanguage), status: .unprocessableContent
            ).response(from: request, context: context)
        }
    }

    @Sendable func show(request: Request, context: VigilRequestContext) async throws -> HTML {
        let committee = try await ownCommittee(context)
        let notice = request.uri.queryParameters["saved"] == nil ? nil : services.renderer.catalogue.text("admin_committee_saved", in: context.consoleLanguage)
        let mayEdit = context.staff?.member.role.may(.manageCommittees) ?? false
        return try await showPage(committee, context: context, form: mayEdit ? form(committee, in: context.consoleLanguage) : nil, notice: notice)
    }

    @Sendable func update(request: Request, context: VigilRequestContext) async throws -> Response {
        let committee = try await ownCommittee(context)
        let body = try await services.verifiedForm(request, context: context)
        do {
            _ = try await services.store.updateCommittee(
                id: committee.id, details: try Self.details(body), audit: context.auditActor(request, services)
            )
            try await services.committees.reload()
            return Response.redirect(to: "/admin/committees/\(committee.id)?saved=1", type: .normal)
        } catch let problem as CommitteeProblem {
            return try await showPage(
                committee, context: context,
                form: form(body, problem: problem, action: "/admin/committees/\(committee.id)", isNew: false, in: context.consoleLanguage),
                error: message(problem, in: context.consoleLanguage), status: .unprocessableContent
            ).response(from: request, context: context)
        }
    }

    /// The committee named in the path, if the signed-in member may see it: staff who manage
    /// committees see all of them, a coordinator only their own.
    private func ownCommittee(_ context: VigilRequestContext) async throws -> Committee {
        guard let id = Int64(try context.parameters.require("id")), let committee = try await services.store.committee(id: id) else {
            throw HTTPError(.notFound)
        }
        guard let member = context.staff?.member,
              member.role.may(.manageCommittees) || (member.role.may(.manageOwnCommittee) && member.committeeID == committee.id)
        else { throw HTTPError(.forbidden) }
        return committee
    }

    private static func details(_ body: FormBody) throws(CommitteeProblem) -> CommitteeDetails {
        try CommitteeDetails.checked(
            name: body["name"] ?? "", city: body["city"] ?? "", country: body["country"] ?? "", contact: body["contact"] ?? "",
            languages: chosenLanguages(body), goal: body["goal"] ?? "", shownInLeague: body.isChecked("shown")
        )
    }

    /// The ticked language boxes, named `language-hy` and so on.
    private static func chosenLanguages(_ body: FormBody) -> [String] {
        body.values.keys.filter { $0.hasPrefix("language-") }.map { String($0.dropFirst("language-".count)) }.sorted()
    }

    /// The code staff typed, or `nil` for a generated one.
    private static func chosenCode(_ typed: String) throws(CommitteeProblem) -> CommitteeCode? {
        let trimmed = typed.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        guard let code = CommitteeCode(trimmed) else { throw .invalidCode }
        return code
    }

    private func message(_ problem: CommitteeProblem, in language: Language) -> String {
        var values: [String: String] = [:]
        if case .tooLong(_, let maximum) = problem { values["maximum"] = maximum.formatted(.number.locale(language.locale)) }
        return services.renderer.catalogue.text(problem.messageKey, in: language, values)
    }

    private func publicPetitions() async throws -> [Petition] {
        var petitions: [Petition] = []
        for slug in try await services.store.petitionSlugs() {
            if let petition = try await services.store.petition(slug: slug) { petitions.append(petition) }
        }
        return petitions
    }

    private func newForm(in language: Language) -> CommitteeForm {
        makeForm(values: [:], chosenLanguages: [], shown: false, errors: [:], action: "/admin/committees", isNew: true, in: language)
    }

    private func form(_ committee: Committee, in language: Language) -> CommitteeForm {
        let details = committee.details
        return makeForm(
            values: [
                "name": details.name, "city": details.city, "country": details.country.code, "contact": details.contact,
                "goal": details.goal.map(String.init) ?? "",
            ],
            chosenLanguages: Set(details.languages.map(\.rawValue)), shown: details.shownInLeague, errors: [:],
            action: "/admin/committees/\(committee.id)", isNew: false, in: language
        )
    }

    private func form(_ body: FormBody, problem: CommitteeProblem, action: String, isNew: Bool, in language: Language) -> CommitteeForm {
        var values: [String: String] = [:]
        for field in Self.fields { values[field] = body[field] ?? "" }
        return makeForm(
            values: values, chosenLanguages: Set(Self.chosenLanguages(body)),
            shown: body.isChecked("shown"), errors: [problem.field.rawValue: message(problem, in: language)], action: action, isNew: isNew,
            in: language
        )
    }

    private func makeForm(
        values: [String: String], chosenLanguages: Set<String>, shown: Bool, errors: [String: String], action: String, isNew: Bool,
        in language: Language
    ) -> CommitteeForm {
        let country = values["country"]?.uppercased() ?? ""
        return CommitteeForm(
            action: action,
            values: values,
            errors: errors,
            countries: Country.all.map { SelectOption(value: $0.code, label: $0.name(in: language), selected: $0.code == country) }
                .sorted { $0.label.compare($1.label, locale: language.locale) == .orderedAscending },
            languages: Language.allCases.map { SelectOption(value: $0.rawValue, label: $0.nativeName, selected: chosenLanguages.contains($0.rawValue)) },
            shownInLeague: shown,
            isNew: isNew
        )
    }

    private func listPage(
        context: VigilRequestContext, form: CommitteeForm, notice: String? = nil, error: String? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> HTML {
        let language = context.consoleLanguage
        let number = { (value: Int) in value.formatted(.number.locale(language.locale)) }
        let petitions = try await publicPetitions()
        let rows = services.committees.all.map { committee in
            let counts = services.store.liveCounts.counts(forPetition: committee.petitionID)
            return Row(
                id: committee.id,
                name: committee.details.name,
                place: PetitionPage.place(of: committee, in: language),
                code: committee.code.text,
                signatures: number(counts.byCommittee[committee.id] ?? 0),
                goal: committee.details.goal.map(number),
                shown: committee.details.shownInLeague
            )
        }
        return try services.adminPage(
            "admin-committees", titleKey: "admin_committees_title", path: "/admin/committees", context: context,
            body: ListBody(
                committees: rows, hasCommittees: !rows.isEmpty,
                petitions: petitions.enumerated().map { SelectOption(value: String($1.id), label: $1.slug, selected: $0 == 0) },
                hasPetitions: petitions.count > 1,
                form: form
            ),
            notice: notice, error: error, status: status
        )
    }

    private func showPage(
        _ committee: Committee, context: VigilRequestContext, form: CommitteeForm?, notice: String? = nil, error: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> HTML {
        let language = context.consoleLanguage
        let number = { (value: Int) in value.formatted(.number.locale(language.locale)) }
        let activity = try await services.store.committeeActivity(id: committee.id)
        let countries = activity.byCountry.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { code, count in
            DashboardController.CountryRow(name: Country(code: code)?.name(in: language) ?? code, count: number(count))
        }
        let details = committee.details
        let paperBatches = PaperController(services: services)
            .batchRows(try await services.store.paperBatches(committeeID: committee.id), context)
        return try services.adminPage(
            "admin-committee", titleKey: "admin_committee_title", path: "/admin/committees/\(committee.id)", context: context,
            body: ShowBody(
                name: details.name,
                place: PetitionPage.place(of: committee, in: language),
                contact: details.contact.isEmpty ? nil : details.contact,
                languages: details.languages.map(\.nativeName).joined(separator: ", "),
                referralLink: services.configuration.publicURL + committee.code.referralPath,
                qrPath: committee.code.referralPath + "/qr.svg",
                confirmed: number(activity.confirmed),
                pending: number(activity.pending),
                goal: details.goal.map(number),
                goalValue: details.goal ?? 0,
                confirmedValue: activity.confirmed,
                shown: details.shownInLeague,
                chart: DayChart(days: activity.confirmedByDay, language: language),
                countries: countries,
                paperBatches: paperBatches,
                hasPaperBatches: !paperBatches.isEmpty,
                form: form
            ),
            notice: notice, error: error, status: status
        )
    }
}
