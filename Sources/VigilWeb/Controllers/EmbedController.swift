import Hummingbird
import VigilCore
import VigilStore

/// `/embed/{slug}`: the petition's counter as a small card that other sites put in an iframe.
///
/// It is the one page that may be framed, and it sets no cookie: in another site's page, a
/// cookie would be a third party's. Sites that draw their own counter read `count.json`, which
/// any origin may fetch.
struct EmbedController {
    let services: VigilServices

    /// The prefix of the framable routes; ``SecurityHeadersMiddleware`` lets other sites frame these only.
    static let pathPrefix = "/embed/"

    struct Card {
        let lang: String
        let t: [String: String]
        let title: String
        let stylesheet: String
        let petitionURL: String
        let progress: ProgressView
        let open: Bool
    }

    func addRoutes(to router: some RouterMethods<VigilRequestContext>) {
        router.get("/embed/{slug}", use: card)
    }

    @Sendable func card(request: Request, context: VigilRequestContext) async throws -> Response {
        let content = try await services.content(slug: context.parameters.require("slug"))
        let petition = content.petition
        let language = Language.chosen(for: request, context: context, offered: petition.languages, default: petition.defaultLanguage)
        let counts = services.store.liveCounts.counts(forPetition: petition.id)
        let entry = try await services.pageCache.page("embed:\(petition.slug):\(language.tag)", version: counts.version) {
            guard let text = content.text(language) else { throw HTTPError(.notFound) }
            return try services.renderer.render(
                "embed",
                Card(
                    lang: language.tag,
                    t: services.renderer.texts(language),
                    title: text.title,
                    stylesheet: services.renderer.assets.url(of: "embed.css"),
                    petitionURL: services.configuration.publicURL + language.path("/petitions/\(petition.slug)"),
                    progress: ProgressView(content: content, counts: counts, language: language, catalogue: services.renderer.catalogue),
                    open: petition.state.acceptsSignatures
                )
            )
        }
        var headers = services.languageHeaders(language)
        headers[.cacheControl] = APIResponse.shortCache
        return HTML(bytes: entry.page(token: ""), headers: headers).response(from: request, context: context)
    }
}
