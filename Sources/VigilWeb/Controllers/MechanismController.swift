import Foundation
import Hummingbird
import VigilCore
import VigilStore

/// The Moscow Mechanism tracker for the public: `/mechanism` and its open data at
/// `/api/v1/mechanism` (described in openapi.yaml). Both read the history for the public, so
/// internal notes are never loaded here. Answers 404 when the campaign has no tracker.
struct MechanismController {
    let services: VigilServices

    func addRoutes(to router: some RouterMethods<VigilRequestContext>) {
        router.get("/mechanism", use: page)
    }

    /// The API carries no per-browser token, so it is served without the CSRF cookie.
    func addAPIRoutes(to router: some RouterMethods<VigilRequestContext>) {
        router.get("/api/v1/mechanism", use: document)
    }

    @Sendable func page(request: Request, context: VigilRequestContext) async throws -> HTML {
        let language = services.siteLanguage(request, context: context)
        guard let tracker = try await services.mechanismTracker(for: .public) else { throw HTTPError(.notFound) }
        let page = MechanismPage(tracker: tracker, words: services.registryText(language), renderer: services.renderer, path: "/mechanism")
        return HTML(try services.renderer.render("mechanism", page), headers: services.languageHeaders(language))
    }

    @Sendable func document(request: Request, context: VigilRequestContext) async throws -> Response {
        guard let tracker = try await services.mechanismTracker(for: .public) else {
            throw APIProblem(status: .notFound, detail: "this campaign does not track the Moscow Mechanism")
        }
        let language = services.siteLanguage(request, context: context)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        // Statuses change a few times a week at most; a minute of caching absorbs a spike.
        headers[.cacheControl] = "public, max-age=60"
        headers[.accessControlAllowOrigin] = "*"
        headers[.vary] = "Accept-Language"
        let body = try encoder.encode(MechanismDocument(tracker: tracker, words: services.registryText(language), now: services.now()))
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
