import Hummingbird
import VigilCore

/// The registry's pages: everyone the campaign is about, and one profile per person.
struct RegistryController {
    let services: VigilServices

    func addRoutes(to router: some RouterMethods<VigilRequestContext>) {
        router.get("/detainees", use: list)
        router.get("/detainees/{slug}", use: profile)
    }

    /// Everyone, grouped by category; `?category=` keeps one group, `?q=` searches by name.
    @Sendable func list(request: Request, context: VigilRequestContext) async throws -> HTML {
        let language = services.siteLanguage(request, context: context)
        let query = request.registryQuery
        // An unknown category shows everyone rather than an error page: it is a filter, not an address.
        let category = request.uri.queryParameters["category"].flatMap { Detainee.Category(rawValue: String($0)) }
        let registry = services.registry
        let page = DetaineeListPage(
            shown: query.isEmpty ? registry.detainees : registry.search(query),
            all: registry.detainees,
            category: category,
            query: query,
            words: services.registryText(language),
            renderer: services.renderer,
            path: request.uri.path
        )
        return HTML(try services.renderer.render("detainees", page), headers: services.languageHeaders(language))
    }

    /// One person's profile, or 404.
    @Sendable func profile(request: Request, context: VigilRequestContext) async throws -> HTML {
        let language = services.siteLanguage(request, context: context)
        guard let person = services.registry.detainee(slug: try context.parameters.require("slug")) else {
            throw HTTPError(.notFound)
        }
        let page = DetaineeProfilePage(
            person: person,
            sources: services.registry.registry.sources,
            words: services.registryText(language),
            renderer: services.renderer,
            path: request.uri.path
        )
        return HTML(try services.renderer.render("detainee", page), headers: services.languageHeaders(language))
    }
}

extension VigilServices {
    /// The registry's words in a language, with days in custody counted to now.
    func registryText(_ language: Language) -> RegistryText {
        RegistryText(catalogue: renderer.catalogue, language: language, now: now())
    }

    /// The language of a page that belongs to no petition: one the interface is translated into.
    func siteLanguage(_ request: Request, context: VigilRequestContext) -> Language {
        Language.chosen(for: request, context: context, offered: renderer.languages, default: .fallback)
    }
}

extension Request {
    /// The registry search from `?q=`, trimmed and cut to 200 characters; empty when there is none.
    var registryQuery: String {
        String((uri.queryParameters["q"].map(String.init) ?? "").prefix(200)).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
