import Foundation
import Hummingbird
import VigilCore
import VigilStore

/// News about the petitions: a page and an Atom feed, so the public is kept informed of what
/// came of the signatures.
struct UpdatesController {
    let services: VigilServices

    func addRoutes(to router: some RouterMethods<VigilRequestContext>) {
        router.get("/updates", use: page)
    }

    /// The feed carries no per-browser token, so it is served without the CSRF cookie.
    func addFeedRoutes(to router: some RouterMethods<VigilRequestContext>) {
        router.get("/updates.atom", use: feed)
    }

    struct Entry {
        let id: Int64
        let title: String
        let date: String
        let isoDate: String
        let petition: String
        let petitionURL: String
        let safeHTML: String
    }

    struct Page {
        let layout: Layout
        let t: [String: String]
        let title: String
        let entries: [Entry]
    }

    @Sendable func page(request: Request, context: VigilRequestContext) async throws -> HTML {
        let language = Language.chosen(for: request, context: context, offered: services.renderer.languages, default: .fallback)
        let title = services.renderer.catalogue.text("updates_title", in: language)
        let page = Page(
            layout: services.renderer.layout(language: language, title: title, path: "/updates"),
            t: services.renderer.texts(language),
            title: title,
            entries: try await entries(language: language)
        )
        return HTML(try services.renderer.render("updates", page), headers: services.languageHeaders(language))
    }

    @Sendable func feed(request: Request, context: VigilRequestContext) async throws -> Response {
        let language = Language.chosen(for: request, context: context, offered: services.renderer.languages, default: .fallback)
        let base = services.configuration.publicURL
        let entries = try await entries(language: language)
        let escape = UpdateMarkdown.escape
        var xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom" xml:lang="\(language.tag)">
            <title>\(escape(services.renderer.campaignNames[language] ?? services.renderer.campaignNames[.fallback] ?? "Vigil"))</title>
            <id>\(base)/updates</id>
            <link rel="self" href="\(base)/updates.atom"/>
            <link rel="alternate" type="text/html" href="\(base)/updates"/>
            <updated>\(entries.first?.isoDate ?? "1970-01-01T00:00:00Z")</updated>

            """
        for entry in entries {
            xml += """
                <entry>
                <title>\(escape(entry.title))</title>
                <id>\(base)/updates#update-\(entry.id)</id>
                <link rel="alternate" type="text/html" href="\(base)/updates#update-\(entry.id)"/>
                <updated>\(entry.isoDate)</updated>
                <content type="html">\(escape(entry.safeHTML))</content>
                </entry>

                """
        }
        xml += "</feed>\n"
        var headers = HTTPFields()
        headers[.contentType] = "application/atom+xml; charset=utf-8"
        headers[.cacheControl] = "public, max-age=300"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: xml)))
    }

    /// The published updates of every public petition, newest first.
    private func entries(language: Language) async throws -> [Entry] {
        let format = Date.FormatStyle(date: .long, time: .omitted, timeZone: TimeZone(identifier: "UTC") ?? .current)
            .locale(language.locale)
        let iso = Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC") ?? .current)
        var entries: [(date: Date, entry: Entry)] = []
        for slug in try await services.store.petitionSlugs() {
            guard let content = try await services.directory.publicContent(slug: slug) else { continue }
            for update in try await services.store.updates(petitionID: content.petition.id, includeDrafts: false) {
                guard let text = update.text(language), let published = update.publishedAt else { continue }
                entries.append((published, Entry(
                    id: update.id,
                    title: text.title,
                    date: published.formatted(format),
                    isoDate: published.formatted(iso),
                    petition: content.text(language)?.title ?? slug,
                    petitionURL: language.path("/petitions/\(slug)"),
                    safeHTML: UpdateMarkdown.html(text.body).text
                )))
            }
        }
        return entries.sorted { $0.date > $1.date }.map(\.entry)
    }
}
