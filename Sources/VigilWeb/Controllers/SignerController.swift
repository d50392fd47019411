import Foundation
import Hummingbird
import VigilCore
import VigilStore

/// What a signer can do through the "manage my signature" link in every e-mail: see what is
/// stored about them, take it away as JSON, stop e-mailed updates, withdraw the signature and
/// erase their personal data.
///
/// The link's secret is the signer's authority; nothing else identifies them, so the page is
/// never cached and never linked from anywhere else.
struct SignerController {
    let services: VigilServices

    func addRoutes(to router: some RouterMethods<VigilRequestContext>) {
        router.get("/signature/{token}", use: page)
        router.get("/signature/{token}/data.json", use: download)
        router.post("/signature/{token}/withdraw", use: withdraw)
        router.post("/signature/{token}/erase", use: erase)
    }

    /// One-click unsubscribe (RFC 8058) comes from mail programs, which carry no form token and
    /// no cookie: the link's secret is the whole authority, so this route has no CSRF check.
    func addUnsubscribeRoutes(to router: some RouterMethods<VigilRequestContext>) {
        router.post("/signature/{token}/unsubscribe", use: unsubscribe)
    }

    struct Page {
        let layout: Layout
        let t: [String: String]
        let title: String
        let token: String
        let csrf: String
        let petition: String
        let status: String
        let name: String
        let email: String
        let city: String?
        let comment: String?
        let country: String
        let showName: Bool
        let keepInformed: Bool
        let signedAt: String
        let confirmedAt: String?
        let unsubscribed: Bool
        /// Whether the signature counts, so it can be withdrawn.
        let counts: Bool
    }

    @Sendable func page(request: Request, context: VigilRequestContext) async throws -> HTML {
        let token = try context.parameters.require("token")
        let record = try await signature(token)
        let language = Language(rawValue: record.language) ?? .fallback
        let renderer = services.renderer
        let format = Date.FormatStyle(date: .long, time: .shortened, timeZone: TimeZone(identifier: "UTC") ?? .current)
            .locale(language.locale)
        var petitionTitle = ""
        if let petition = try await services.store.petition(id: record.petitionID) {
            petitionTitle = try await services.directory.content(slug: petition.slug)?.text(language)?.title ?? petition.slug
        }
        let title = renderer.catalogue.text("signer_title", in: language)
        let page = Page(
            layout: renderer.layout(language: language, title: title, path: "/signature"),
            t: renderer.texts(language),
            title: title,
            token: token,
            csrf: services.formToken(context),
            petition: petitionTitle,
            status: renderer.catalogue.text("signature_status_\(record.standing)", in: language),
            name: record.name,
            email: record.email,
            city: record.city,
            comment: record.comment,
            country: Country(code: record.country)?.name(in: language) ?? record.country,
            showName: record.showNamePublicly,
            keepInformed: record.keepInformed,
            signedAt: record.createdAt.formatted(format),
            confirmedAt: record.confirmedAt?.formatted(format),
            unsubscribed: request.uri.queryParameters["unsubscribed"] != nil,
            counts: record.status == .confirmed && record.revokedReason == nil
        )
        var headers = services.languageHeaders(language)
        headers[.cacheControl] = "no-store"
        return HTML(try renderer.render("signer", page), headers: headers)
    }

    /// Everything stored about the signature, opened, as JSON.
    @Sendable func download(request: Request, context: VigilRequestContext) async throws -> Response {
        let record = try await signature(try context.parameters.require("token"))
        let iso = Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC") ?? .current)
        let document: [String: String?] = [
            "petition": try await services.store.petition(id: record.petitionID)?.slug,
            "status": record.status.rawValue,
            "name": record.name,
            "email": record.email,
            "country": record.country,
            "city": record.city,
            "comment": record.comment,
            "language": record.language,
            "text_hash": record.textHash,
            "show_name_publicly": String(record.showNamePublicly),
            "keep_informed": String(record.keepInformed),
            "signed_at": record.createdAt.formatted(iso),
            "confirmed_at": record.confirmedAt?.formatted(iso),
            "signer_number": record.signerNumber.map(String.init),
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"my-signature.json\""
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(document))))
    }

    @Sendable func unsubscribe(request: Request, context: VigilRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        let record = try await signature(token)
        try await services.store.stopUpdates(signatureID: record.id)
        context.logger.info("a signer stopped e-mailed updates")
        return Response.redirect(to: "/signature/\(token)?unsubscribed=1", type: .normal)
    }

    /// Takes the signature out of the count, with a revocation entry in the tally log. The
    /// signer's details stay (they can still see, download or erase them) and they may sign again.
    @Sendable func withdraw(request: Request, context: VigilRequestContext) async throws -> HTML {
        _ = try await services.verifiedForm(request, context: context)
        let record = try await signature(try context.parameters.require("token"))
        guard case .revised = try await services.store.signatureWriter.revise(.withdraw(signatureID: record.id)) else {
            throw HTTPError(.conflict)
        }
        context.logger.info("a signer withdrew their signature")
        return try message(titleKey: "signer_withdrawn_title", bodyKey: "signer_withdrawn_body", record: record)
    }

    /// Erases the signer's name, address, city and comment. The signature still counts: it
    /// was confirmed, and the count must not move because someone left.
    @Sendable func erase(request: Request, context: VigilRequestContext) async throws -> HTML {
        _ = try await services.verifiedForm(request, context: context)
        let record = try await signature(try context.parameters.require("token"))
        try await services.store.erasePersonalData(signatureID: record.id)
        return try message(titleKey: "signer_erased_title", bodyKey: "signer_erased_body", record: record)
    }

    /// A page that says what was done, in the signer's language, kept out of every cache.
    private func message(titleKey: String, bodyKey: String, record: SignatureRecord) throws -> HTML {
        let language = Language(rawValue: record.language) ?? .fallback
        let renderer = services.renderer
        let title = renderer.catalogue.text(titleKey, in: language)
        let page = MessagePage(
            layout: renderer.layout(language: language, title: title, path: "/signature"),
            t: renderer.texts(language),
            title: title,
            message: renderer.catalogue.text(bodyKey, in: language),
            petitionURL: nil,
            petitionTitle: nil
        )
        var headers = services.languageHeaders(language)
        headers[.cacheControl] = "no-store"
        return HTML(try renderer.render("message", page), headers: headers)
    }

    private func signature(_ token: String) async throws -> SignatureRecord {
        guard Base64URL.decode(token)?.count == 32, let record = try await services.store.signatureRecord(manageToken: token) else {
            throw HTTPError(.notFound)
        }
        return record
    }
}
