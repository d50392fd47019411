import Hummingbird
import VigilCore

/// Serves every page under a language prefix as well: `/hy/petitions/…` is `/petitions/…` in
/// Armenian.
///
/// It wraps the router rather than sitting among its middleware, because the router picks a
/// route before its middleware run: the prefix must be gone by then, so that routes are
/// written once. The language is kept in the context for
/// ``Language/chosen(for:context:offered:default:)``. A visit through a prefix also sets a
/// cookie, so that the unprefixed links a person follows later (from an old e-mail, say) stay
/// in the language they chose.
struct LanguagePrefixResponder<Inner: HTTPResponder>: HTTPResponder where Inner.Context == VigilRequestContext {
    typealias Context = VigilRequestContext

    let inner: Inner
    let secureCookies: Bool

    func respond(to request: Request, context: Context) async throws -> Response {
        guard let fullPath = request.head.path, let (language, rest) = Language.prefix(of: fullPath) else {
            return try await inner.respond(to: request, context: context)
        }
        var response: Response
        if rest.hasPrefix("/admin"), request.method == .get {
            // The console's session cookie is scoped to /admin, so its pages have no prefixed
            // address: a prefixed one only records the language and leads to the console's own.
            response = Response.redirect(to: rest, type: .normal)
        } else {
            var head = request.head
            head.path = rest
            var context = context
            context.pathLanguage = language
            response = try await inner.respond(to: Request(head: head, body: request.body), context: context)
        }
        // A framed counter card sits in another site's page, where a cookie would be a third party's.
        if request.cookies[LanguageCookie.name]?.value != language.tag, !rest.hasPrefix(EmbedController.pathPrefix) {
            response.setCookie(
                Cookie(
                    name: LanguageCookie.name,
                    value: language.tag,
                    maxAge: 365 * 24 * 3600,
                    path: "/",
                    secure: secureCookies,
                    httpOnly: true,
                    sameSite: .lax
                )
            )
        }
        return response
    }
}

/// The cookie that remembers the last language chosen through a prefix.
enum LanguageCookie {
    static let name = "vigil_lang"
}
