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

    init(
        content: PetitionContent,
        text: PetitionText,
        counts: PetitionCounts,
        language: Language,
        form: SignFormView,
        timeline: [DeliveryEvent],
        signers: [PublicSigner],
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
    }
}
