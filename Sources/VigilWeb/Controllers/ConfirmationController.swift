import Foundation
import Hummingbird
import VigilCore
import VigilStore

/// The page a confirmation link opens, and its button.
///
/// Opening the link never confirms: mail scanners and link previews open links on their own.
/// The page shows one button that posts back, and only that post counts the signature.
struct ConfirmationController {
    let services: VigilServices

    func addRoutes(to router: some RouterMethods<VigilRequestContext>) {
        router.get("/confirm/{token}", use: show)
        router.post("/confirm/{token}", use: confirm)
    }

    /// Shows the button, the thank-you page, or why the link does not work, as the signature stands.
    @Sendable func show(request: Request, context: VigilRequestContext) async throws -> HTML {
        let tokenText = try context.parameters.require("token")
        guard let token = ConfirmationToken(link: tokenText),
              let standing = try await services.store.signatureStanding(token: token),
              standing.status != .held,
              let petition = try await services.store.petition(id: standing.petitionID)
        else {
            return try await problemPage(request: request, context: context, key: "unknown_link", status: .notFound)
        }
        let content = try await services.content(slug: petition.slug)
        let language = request.uri.queryParameters["lang"].flatMap { Language(rawValue: String($0)) }
            .map(petition.language(for:)) ?? petition.language(for: standing.language)
        guard let text = content.text(language) else { throw HTTPError(.notFound) }
        let renderer = services.renderer
        let catalogue = renderer.catalogue
        let petitionURL = language.path("/petitions/\(petition.slug)")

        switch (standing.status, standing.linkExpired) {
        case (.confirmed, _):
            let counts = services.store.liveCounts.counts(forPetition: petition.id)
            let shareURL = "\(services.configuration.publicURL)/petitions/\(petition.slug)"
            let title = catalogue.text("thanks_title", in: language)
            let receipt = standing.revokedReason == nil ? try await services.store.receipt(token: token) : nil
            let page = ThanksPage(
                layout: renderer.layout(language: language, title: title, path: request.uri.path, offered: petition.languages),
                t: renderer.texts(language),
                title: title,
                numberText: standing.revokedReason.map { catalogue.text("thanks_\($0)", in: language) } ?? catalogue.text(
                    "thanks_number", in: language,
                    ["number": (standing.signerNumber ?? 0).formatted(.number.locale(language.locale))]
                ),
                receipt: receipt.map {
                    ReceiptView(
                        leafIndex: $0.leafIndex.formatted(.number.locale(language.locale)),
                        leafHash: $0.leafHash.hex,
                        nonce: $0.nonce.hexString,
                        verifyURL: language.path("/verify?petition=\(petition.slug)&leaf_hash=\($0.leafHash.hex)")
                    )
                },
                petitionTitle: text.title,
                petitionURL: petitionURL,
                progress: ProgressView(content: content, counts: counts, language: language, catalogue: catalogue),
                share: ShareLinks(url: shareURL, message: catalogue.text("share_message", in: language, ["title": text.title]))
            )
            return HTML(try renderer.render("thanks", page), headers: services.languageHeaders(language))
        case (.pending, true):
            return try await problemPage(
                request: request, context: context, key: "expired_link", status: .gone, language: language,
                petitionURL: petitionURL, petitionTitle: text.title,
                values: ["days": String(services.configuration.confirmationLifetimeDays)]
            )
        default:
            let title = catalogue.text("confirm_title", in: language)
            let page = ConfirmPage(
                layout: renderer.layout(language: language, title: title, path: request.uri.path),
                t: renderer.texts(language),
                title: title,
                intro: catalogue.text("confirm_intro", in: language, ["title": text.title]),
                action: language.path("/confirm/\(tokenText)"),
                csrf: services.formToken(context),
                petitionURL: petitionURL
            )
            return HTML(try renderer.render("confirm", page), headers: services.languageHeaders(language))
        }
    }

    /// Confirms, after its commit, then shows the result through the link's own page.
    @Sendable func confirm(request: Request, context: VigilRequestContext) async throws -> Response {
        let tokenText = try context.parameters.require("token")
        _ = try await services.verifiedForm(request, context: context)
        guard let token = ConfirmationToken(link: tokenText) else {
            return try await problemPage(request: request, context: context, key: "unknown_link", status: .notFound)
                .response(from: request, context: context)
        }
        let outcome = try await services.store.signatureWriter.confirm(token)
        if case .confirmed(_, let number) = outcome {
            context.logger.info("signature confirmed", metadata: ["signer_number": "\(number)"])
        }
        let language = Language.asked(in: request, context: context)
        let path = "/confirm/\(token.text)"
        return Response.redirect(to: language?.path(path) ?? path, type: .normal)
    }

    /// The page for a link that cannot confirm (unknown or expired), with the way back to signing.
    private func problemPage(
        request: Request,
        context: VigilRequestContext,
        key: String,
        status: HTTPResponse.Status,
        language: Language? = nil,
        petitionURL: String? = nil,
        petitionTitle: String? = nil,
        values: [String: String] = [:]
    ) async throws -> HTML {
        let slug = try await services.directory.defaultSlug()
        let language = language ?? Language.chosen(for: request, context: context, offered: services.renderer.languages, default: .fallback)
        let renderer = services.renderer
        let title = renderer.catalogue.text("\(key)_title", in: language)
        let page = MessagePage(
            layout: renderer.layout(language: language, title: title, path: request.uri.path),
            t: renderer.texts(language),
            title: title,
            message: renderer.catalogue.text("\(key)_body", in: language, values),
            petitionURL: petitionURL ?? slug.map { "/petitions/\($0)" },
            petitionTitle: petitionTitle
        )
        return HTML(status: status, try renderer.render("message", page), headers: services.languageHeaders(language))
    }
}

/// The page with the one button that confirms.
struct ConfirmPage {
    let layout: Layout
    let t: [String: String]
    let title: String
    let intro: String
    let action: String
    let csrf: String
    let petitionURL: String
}

/// The thank-you page after confirming.
struct ThanksPage {
    let layout: Layout
    let t: [String: String]
    let title: String
    let numberText: String
    let receipt: ReceiptView?
    let petitionTitle: String
    let petitionURL: String
    let progress: ProgressView
    let share: ShareLinks
}

/// A signer's receipt as the thank-you page shows it.
struct ReceiptView {
    let leafIndex: String
    let leafHash: String
    let nonce: String
    let verifyURL: String
}

/// A page that explains something and leads back to the petition: errors, expired links.
struct MessagePage {
    let layout: Layout
    let t: [String: String]
    let title: String
    let message: String
    let petitionURL: String?
    let petitionTitle: String?
}

/// Plain links to share a petition: no third-party script is loaded, the links only open
/// the services' own sharing pages.
struct ShareLinks {
    let url: String
    let email: String
    let whatsapp: String
    let telegram: String
    let x: String
    let facebook: String

    init(url: String, message: String) {
        let encode = { (text: String) in
            text.addingPercentEncoding(withAllowedCharacters: .urlQueryValueAllowed) ?? ""
        }
        self.url = url
        email = "mailto:?subject=\(encode(message))&body=\(encode(message + "\n\n" + url))"
        whatsapp = "https://wa.me/?text=\(encode(message + " " + url))"
        telegram = "https://t.me/share/url?url=\(encode(url))&text=\(encode(message))"
        x = "https://x.com/intent/post?text=\(encode(message))&url=\(encode(url))"
        facebook = "https://www.facebook.com/sharer/sharer.php?u=\(encode(url))"
    }
}

extension CharacterSet {
    /// Characters that may stand unescaped in a query value.
    static let urlQueryValueAllowed: CharacterSet = {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return allowed
    }()
}
