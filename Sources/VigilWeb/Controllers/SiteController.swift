import Foundation
import Hummingbird
import VigilCore
import VigilMail

/// The pages around the petitions: the home page, the privacy notice, the API description,
/// the stylesheet and script.
struct SiteController {
    let services: VigilServices
    let openAPI: ByteBuffer

    func addRoutes(to router: some RouterMethods<VigilRequestContext>) {
        router.get("/", use: home)
        router.get("/privacy", use: privacy)
        router.get("/api/openapi.yaml", use: openAPIDocument)
        router.get("/assets/{name}", use: asset)
    }

    /// The home page leads to the campaign's petition.
    @Sendable func home(request: Request, context: VigilRequestContext) async throws -> Response {
        guard let slug = try await services.directory.defaultSlug() else { throw HTTPError(.notFound) }
        let language = Language.asked(in: request, context: context)
        let path = "/petitions/\(slug)"
        return Response.redirect(to: language?.path(path) ?? path, type: .found)
    }

    /// What is stored about signers, why, for how long, and who can see it.
    @Sendable func privacy(request: Request, context: VigilRequestContext) async throws -> HTML {
        let language = Language.chosen(for: request, context: context, offered: services.renderer.languages, default: .fallback)
        let renderer = services.renderer
        let title = renderer.catalogue.text("privacy_title", in: language)
        let slug = try await services.directory.defaultSlug()
        let page = PrivacyPage(
            layout: renderer.layout(language: language, title: title, path: request.uri.path),
            t: renderer.texts(language),
            title: title,
            confirmationDays: services.configuration.confirmationLifetimeDays,
            retentionPeriod: renderer.catalogue.text("privacy_days", count: services.configuration.retentionDays, in: language),
            mailPeriod: renderer.catalogue.text("privacy_days", count: services.configuration.mailHistoryDays, in: language),
            contact: (try? MailMessage.Mailbox(parsing: services.configuration.mailFrom).address) ?? "",
            petitionURL: slug.map { "/petitions/\($0)" }
        )
        let template = renderer.hasTemplate("privacy.\(language.tag)") ? "privacy.\(language.tag)" : "privacy.en"
        return HTML(try renderer.render(template, page), headers: services.languageHeaders(language))
    }

    @Sendable func openAPIDocument(request: Request, context: VigilRequestContext) async throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/yaml; charset=utf-8"
        headers[.cacheControl] = "public, max-age=3600"
        headers[.accessControlAllowOrigin] = "*"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: openAPI))
    }

    @Sendable func asset(request: Request, context: VigilRequestContext) async throws -> Response {
        guard let asset = services.renderer.assets[try context.parameters.require("name")] else {
            throw HTTPError(.notFound)
        }
        var headers = HTTPFields()
        headers[.contentType] = asset.contentType
        headers[.eTag] = "\"\(asset.hash)\""
        // The URL changes with the content, so the file may be kept for good.
        headers[.cacheControl] = "public, max-age=31536000, immutable"
        if request.headers[.ifNoneMatch] == "\"\(asset.hash)\"" {
            return Response(status: .notModified, headers: headers)
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: asset.bytes))
    }
}

/// The privacy notice.
struct PrivacyPage {
    let layout: Layout
    let t: [String: String]
    let title: String
    let confirmationDays: Int
    /// How long after a petition closes its signers' personal data is erased, in words.
    let retentionPeriod: String
    /// How long a sent e-mail stays in the outbox, in words.
    let mailPeriod: String
    /// Where signers write to see or remove their data: the campaign's sending address.
    let contact: String
    let petitionURL: String?
}
