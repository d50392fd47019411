import Foundation
import Hummingbird
import VigilCore
import VigilStore

/// The console's first page: where each petition stands, where its signers live, how the days
/// went, and whether mail is flowing.
struct DashboardController {
    let services: VigilServices

    func addRoutes(to router: some RouterMethods<VigilRequestContext>) {
        router.group("/admin")
            .add(middleware: PermissionMiddleware(permission: .viewDashboard))
            .get(use: dashboard)
        router.group("/admin/under-attack")
            .add(middleware: PermissionMiddleware(permission: .switchUnderAttack))
            .post(use: switchUnderAttack)
    }

    struct PetitionPanel {
        let slug: String
        let title: String
        let state: String
        let confirmed: String
        let pending: String
        let held: String
        let lastDay: String
        let progress: ProgressView
        let countries: [CountryRow]
        let chart: DayChart
        let hotspots: [HotspotRow]
        let hasHotspots: Bool
    }

    /// A network or domain busy in the last hour, with a way to look at its signatures.
    struct HotspotRow {
        let label: String
        let review: String?
    }

    struct CountryRow {
        let name: String
        let count: String
    }

    /// Whether the sign form asks for a proof of work, and the button that changes it.
    struct UnderAttackPanel {
        let on: Bool
        let state: String
        let canSwitch: Bool
        /// The state the button switches to.
        let next: String
        let button: String
    }

    struct Body {
        let petitions: [PetitionPanel]
        let outbox: OutboxSummary
        let canReview: Bool
        let underAttack: UnderAttackPanel
    }

    @Sendable func dashboard(request: Request, context: VigilRequestContext) async throws -> HTML {
        let store = services.store
        let language = context.consoleLanguage
        let number = { (value: Int) in value.formatted(.number.locale(language.locale)) }
        var panels: [PetitionPanel] = []
        for slug in try await store.petitionSlugs() {
            guard let content = try await services.directory.content(slug: slug) else { continue }
            let petition = content.petition
            let figures = try await store.figures(petitionID: petition.id)
            let counts = store.liveCounts.counts(forPetition: petition.id)
            let countries = counts.byCountry.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { code, count in
                CountryRow(name: Country(code: code)?.name(in: language) ?? code, count: number(count))
            }
            let hourAgo = services.now().addingTimeInterval(-3600)
            let mayInvalidate = context.staff?.member.role.may(.invalidateSignatures) ?? false
            let hotspots = try await store.signingHotspots(
                petitionID: petition.id, since: hourAgo, threshold: services.configuration.hotspotThreshold
            ).map { hotspot in
                HotspotRow(
                    label: services.renderer.catalogue.text(
                        "admin_hotspot_\(hotspot.kind == .network ? "network" : "domain")", in: language, ["count": number(hotspot.count)]
                    ),
                    review: mayInvalidate
                        ? "/admin/invalidations?petition=\(slug)&\(hotspot.kind == .network ? "network_hash" : "domain_hash")=\(hotspot.hash)"
                        : nil
                )
            }
            panels.append(
                PetitionPanel(
                    slug: slug,
                    title: content.text(language)?.title ?? slug,
                    state: petition.state.rawValue,
                    confirmed: number(figures.confirmed),
                    pending: number(figures.pending),
                    held: number(figures.held),
                    lastDay: number(figures.confirmedLastDay),
                    progress: ProgressView(content: content, counts: counts, language: language, catalogue: services.renderer.catalogue),
                    countries: countries,
                    chart: DayChart(days: figures.confirmedByDay, language: language),
                    hotspots: hotspots,
                    hasHotspots: !hotspots.isEmpty
                )
            )
        }
        let member = context.staff?.member
        let underAttack = services.contentWatcher.underAttack
        let texts = services.renderer.texts(language)
        return try services.adminPage(
            "admin-dashboard", titleKey: "admin_dashboard_title", path: "/admin", context: context,
            body: Body(
                petitions: panels,
                outbox: try await store.outboxSummary(),
                canReview: member?.role.may(.reviewHeldSignatures) ?? false,
                underAttack: UnderAttackPanel(
                    on: underAttack,
                    state: texts[underAttack ? "admin_under_attack_on" : "admin_under_attack_off"] ?? "",
                    canSwitch: member?.role.may(.switchUnderAttack) ?? false,
                    next: underAttack ? "off" : "on",
                    button: texts[underAttack ? "admin_under_attack_turn_off" : "admin_under_attack_turn_on"] ?? ""
                )
            )
        )
    }

    /// Turns "under attack" on or off for every server on this database. This one follows at
    /// once; the others at their next look (`content_check_interval`).
    @Sendable func switchUnderAttack(request: Request, context: VigilRequestContext) async throws -> Response {
        let form = try await services.verifiedForm(request, context: context)
        guard let state = form["state"], ["on", "off"].contains(state) else { throw HTTPError(.badRequest) }
        var audit = context.auditActor(request, services)
        audit.action = "under-attack.switched"
        try await services.store.setUnderAttack(state == "on", audit: audit)
        services.contentWatcher.use(underAttack: state == "on")
        return Response.redirect(to: "/admin", type: .normal)
    }
}

/// Confirmations per day as a bar chart drawn in SVG on the server: readable without
/// JavaScript, and with the same figures as a table for screen readers.
struct DayChart {
    struct Row {
        let day: String
        let count: String
    }

    struct Bar {
        let x: String
        let y: String
        let height: String
        let label: String
    }

    let bars: [Bar]
    static let width = 600
    static let height = 160
    let width = Self.width
    let height = Self.height
    let barWidth: String
    let maximum: String
    let summary: String
    let rows: [Row]
    let isEmpty: Bool

    init(days: [(day: Date, count: Int)], language: Language) {
        let format = Date.FormatStyle(date: .abbreviated, time: .omitted, timeZone: TimeZone(identifier: "UTC") ?? .current)
            .locale(language.locale)
        let largest = max(1, days.map(\.count).max() ?? 1)
        let slot = Double(Self.width) / Double(max(days.count, 1))
        // A few days must not make bars as wide as the panel.
        let width = min(max(1, slot - 2), 24)
        bars = days.enumerated().map { index, day in
            let barHeight = Double(Self.height - 20) * Double(day.count) / Double(largest)
            return Bar(
                x: String(format: "%.1f", Double(index) * slot + (slot - width) / 2),
                y: String(format: "%.1f", Double(Self.height) - barHeight),
                height: String(format: "%.1f", barHeight),
                label: "\(day.day.formatted(format)): \(day.count.formatted(.number.locale(language.locale)))"
            )
        }
        barWidth = String(format: "%.1f", width)
        maximum = largest.formatted(.number.locale(language.locale))
        rows = days.map { Row(day: $0.day.formatted(format), count: $0.count.formatted(.number.locale(language.locale))) }
        summary = rows.map { "\($0.day): \($0.count)" }.joined(separator: ", ")
        isEmpty = days.isEmpty
    }
}
