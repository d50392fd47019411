import VigilCore
import VigilStore

/// The petition page: what is asked and of whom, the progress, the sign form, the reasons,
/// and the people the petition is about.
struct PetitionPage {
    /// How many of the newest public names and comments the page shows.
    static let shownSigners = 20

    struct Signer {
        let name: String
        let country: String
        let comment: String?
    }

    struct DetaineeGroup {
        let id: String
        let title: String
        let count: Int
        let people: [PersonLink]
    }

    /// One committee in the public league.
    struct LeagueRow {
        let name: String
        let place: String
        let signatures: String
    }

    /// A name on the petition page, leading to the person's profile.
    struct PersonLink {
        let name: String
        let href: String
    }

    let layout: Layout
    let t: [String: String]
    let slug: String
    let title: String
    let summary: String
    let addressees: [String]
    let action: [String]
    let background: [String]
    let explainerTitle: String
    let explainer: [String]
    let sources: [PetitionText.Source]
    let progress: ProgressView
    let open: Bool
    let form: SignFormView
    let detaineesIntro: String
    let detaineeGroups: [DetaineeGroup]
    let signers: [Signer]
    let registryURL: String
    let jsonURL: String
    let timeline: [TimelineView.Line]
    let hasTimeline: Bool
    let verifyURL: String
    /// Said above the sign form when the page was opened through a committee's referral link.
    let referral: String?
    let league: [LeagueRow]
    let hasLeague: Bool
    let chart: SignatureChart?
    /// Signatures by OSCE participating State, when the petition is addressed to the OSCE.
    let countryMap: StateTileMap?
    let countryMapNote: String?

    init(
        content: PetitionContent,
        text: PetitionText,
        counts: PetitionCounts,
        language: Language,
        form: SignFormView,
        timeline: [DeliveryEvent],
        signers: [PublicSigner],
        referral committee: Committee?,
        league: [(committee: Committee, signatures: Int)],
        today: Int64,
        renderer: PageRenderer
    ) {
        let catalogue = renderer.catalogue
        let path = "/petitions/\(content.petition.slug)"
        layout = renderer.layout(
            language: language,
            title: text.title,
            description: text.summary,
            path: path,
            offered: content.petition.languages,
            countURL: "\(path)/count.json"
        )
        t = renderer.texts(language)
        slug = content.petition.slug
        title = text.title
        summary = text.summary
        addressees = text.addressees
        action = text.action
        background = text.background
        explainerTitle = text.explainerTitle
        explainer = text.explainer
        sources = text.sources
        progress = ProgressView(content: content, counts: counts, language: language, catalogue: catalogue)
        open = content.petition.state.acceptsSignatures
        self.form = form
        detaineesIntro = catalogue.text("detainees_intro", count: content.detainees.count, in: language)
        detaineeGroups = Detainee.Category.allCases.compactMap { category in
            let people = content.detainees.map(\.record).filter { $0.category == category }
            guard !people.isEmpty else { return nil }
            let key = "category_" + category.rawValue.replacingOccurrences(of: "-", with: "_")
            return DetaineeGroup(
                id: category.rawValue,
                title: catalogue.text(key, count: people.count, in: language),
                count: people.count,
                people: people.map { PersonLink(name: $0.displayName, href: language.path("/detainees/\($0.slug)")) }
            )
        }
        self.signers = signers.map { signer in
            let country = Country(code: signer.country)?.name(in: language) ?? signer.country
            return Signer(
                name: signer.name ?? catalogue.text("signer_anonymous", in: language, ["country": country]),
                country: country,
                comment: signer.comment
            )
        }
        registryURL = language.path("/detainees")
        jsonURL = "\(path).json"
        self.timeline = TimelineView.lines(timeline, language: language, catalogue: catalogue)
        hasTimeline = !timeline.isEmpty
        verifyURL = language.path("/verify?petition=\(content.petition.slug)")
        referral = committee.map { committee in
            catalogue.text("committee_referral", in: language, [
                "name": committee.details.name, "place": Self.place(of: committee, in: language),
            ])
        }
        self.league = league.map { committee, signatures in
            LeagueRow(
                name: committee.details.name,
                place: Self.place(of: committee, in: language),
                signatures: catalogue.text("committee_signatures", count: signatures, in: language)
            )
        }
        hasLeague = !league.isEmpty
        let priority = content.priorityCountries.map(\.code)
        if counts.confirmed > 0, StateTileMap.covers(priority) {
            countryMap = .bySignatures(counts.byCountry, language: language, catalogue: catalogue)
            let elsewhere = counts.byCountry.filter { !priority.contains($0.key) }.values.reduce(0, +)
            countryMapNote = [
                catalogue.text("map_signatures_note", in: language),
                elsewhere > 0 ? catalogue.text("map_signatures_elsewhere", count: elsewhere, in: language) : nil,
            ].compactMap { $0 }.joined(separator: " ")
        } else {
            countryMap = nil
            countryMapNote = nil
        }
        chart = SignatureChart(
            byDay: counts.byDay, before: progress.total - counts.confirmed, goal: content.petition.goal, today: today,
            language: language, catalogue: catalogue
        )
    }

    /// "Lyon, France", with the country named in the page's language.
    static func place(of committee: Committee, in language: Language) -> String {
        "\(committee.details.city), \(committee.details.country.name(in: language))"
    }
}
