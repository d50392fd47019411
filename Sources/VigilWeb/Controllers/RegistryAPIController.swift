import Foundation
import Hummingbird
import VigilCore

/// The public registry as open data: the JSON API (`/api/v1/detainees`) and the CSV and JSON
/// exports. Everything here is built from the ``PublicRegistry``. Described in openapi.yaml.
struct RegistryAPIController {
    let services: VigilServices

    func addRoutes(to router: some RouterMethods<VigilRequestContext>) {
        router.get("/api/v1/detainees", use: list)
        router.get("/api/v1/detainees/{slug}", use: detainee)
        router.get("/detainees.json", use: exportJSON)
        router.get("/detainees.csv", use: exportCSV)
    }

    /// Everyone, briefly; `?q=` searches names, `?category=` keeps one category.
    @Sendable func list(request: Request, context: VigilRequestContext) async throws -> Response {
        let language = services.siteLanguage(request, context: context)
        let query = request.registryQuery
        var people = query.isEmpty ? services.registry.detainees : services.registry.search(query)
        if let text = request.uri.queryParameters["category"].map(String.init) {
            guard let category = Detainee.Category(rawValue: text) else {
                let known = Detainee.Category.allCases.map(\.rawValue).joined(separator: ", ")
                throw APIProblem(status: .badRequest, detail: "category '\(text)' is not one of \(known)")
            }
            people = people.filter { $0.record.category == category }
        }
        let base = services.configuration.publicURL
        return try json(
            DetaineeListDocument(
                people: people,
                selfURL: base + request.uri.description,
                language: language,
                baseURL: base,
                now: services.now()
            )
        )
    }

    /// One person's public record with numbered citations and their sources.
    @Sendable func detainee(request: Request, context: VigilRequestContext) async throws -> Response {
        let slug = try context.parameters.require("slug")
        guard let person = services.registry.detainee(slug: slug) else {
            throw APIProblem(status: .notFound, detail: "there is no person '\(slug)' in the registry")
        }
        return try json(
            DetaineeDocument(
                person: person,
                sources: services.registry.registry.sources,
                language: services.siteLanguage(request, context: context),
                baseURL: services.configuration.publicURL,
                now: services.now()
            )
        )
    }

    /// The whole public registry in one JSON file.
    @Sendable func exportJSON(request: Request, context: VigilRequestContext) async throws -> Response {
        let language = services.siteLanguage(request, context: context)
        let now = services.now()
        let base = services.configuration.publicURL
        let registry = services.registry.registry
        return try json(
            RegistryExportDocument(
                generated_at: now.formatted(Date.ISO8601FormatStyle()),
                language: language.tag,
                count: registry.detainees.count,
                sources: registry.sources.map { SourceEntry($0, language: language) },
                detainees: registry.detainees.map {
                    DetaineeDocument(person: $0, sources: registry.sources, language: language, baseURL: base, now: now)
                }
            )
        )
    }

    /// The whole public registry as a CSV table.
    @Sendable func exportCSV(request: Request, context: VigilRequestContext) async throws -> Response {
        let registry = services.registry.registry
        let text = RegistryCSV.document(
            people: registry.detainees,
            sources: registry.sources,
            language: services.siteLanguage(request, context: context),
            baseURL: services.configuration.publicURL,
            now: services.now()
        )
        var headers = Self.headers
        headers[.contentType] = "text/csv; charset=utf-8; header=present"
        headers[.contentDisposition] = "attachment; filename=\"detainees.csv\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// Days in custody change daily and records rarely: a few minutes of caching is safe.
    private static var headers: HTTPFields {
        var headers = HTTPFields()
        headers[.cacheControl] = "public, max-age=300"
        headers[.accessControlAllowOrigin] = "*"
        headers[.vary] = "Accept-Language"
        return headers
    }

    private func json(_ value: some Encodable) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var headers = Self.headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }
}
