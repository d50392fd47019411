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
    /// Without a search the page comes from the page cache; a search is rendered for its asker.
    @Sendable func list(request: Request, context: VigilRequestContext) async throws -> HTML {
        let language = services.siteLanguage(request, context: context)
        let query = request.registryQuery
        // An unknown category shows everyone rather than an error page: it is a filter, not an address.
        let category = request.uri.queryParameters["category"].flatMap { Detainee.Category(rawValue: String($0)) }
        let registry = services.registry
        let render = {
            try services.renderer.render(
                "detainees",
                DetaineeListPage(
                    shown: query.isEmpty ? registry.detainees : registry.search(query),
                    all: registry.detainees,
                    category: category,
                    query: query,
                    words: services.registryText(language),
                    renderer: services.renderer,
                    path: "/detainees"
                )
            )
        }
        guard query.isEmpty else { return HTML(try render(), headers: services.languageHeaders(language)) }
        return try await cached("detainees:\(language.tag):\(category?.rawValue ?? "all")", language: language, render: render)
    }

    /// One person's profile, or 404.
    @Sendable func profile(request: Request, context: VigilRequestContext) async throws -> HTML {
        let language = services.siteLanguage(request, context: context)
        guard let person = services.registry.detainee(slug: try context.parameters.require("slug")) else {
            throw HTTPError(.notFound)
        }
        let sources = services.registry.registry.sources
        return try await cached("detainee:\(person.record.slug):\(language.tag)", language: language) {
            try services.renderer.render(
                "detainee",
                DetaineeProfilePage(
                    person: person,
                    sources: sources,
                    words: services.registryText(language),
                    renderer: services.renderer,
                    path: "/detainees/\(person.record.slug)"
                )
            )
        }
    }

    /// A registry page from the page cache. It is the same for every visitor until the registry
    /// changes or a day passes (it counts days in custody): the registry's version comes first
    /// in the cache version and the day second, so a later registry or a later day is newer.
    private func cached(_ key: String, language: Language, render: () throws -> String) async throws -> HTML {
        let day = Int64(TallyDay(services.now()).daysSince1970)
        let entry = try await services.pageCache.page(key, version: services.contentWatcher.registryVersion &* 1_000_000 &+ day) {
            try render()
        }
        return HTML(bytes: entry.page(token: ""), headers: services.languageHeaders(language))
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
