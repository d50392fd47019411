import Hummingbird
import VigilCore

extension Language {
    /// The language the request names itself: the path's prefix (`/hy/…`), else a `lang` query
    /// parameter (older links and forms). A redirect passes it on; `nil` leaves the choice to
    /// wherever the redirect leads.
    static func asked(in request: Request, context: VigilRequestContext) -> Language? {
        context.pathLanguage ?? request.uri.queryParameters["lang"].flatMap { Language(rawValue: String($0)) }
    }

    /// The language to answer in, among those offered: the one the request names (see
    /// ``asked(in:context:)``), then the language last chosen through a prefix (its cookie),
    /// then the browser's `Accept-Language`, then the petition's default.
    static func chosen(
        for request: Request,
        context: VigilRequestContext,
        offered: [Language],
        default fallback: Language
    ) -> Language {
        if let asked = asked(in: request, context: context), offered.contains(asked) {
            return asked
        }
        if let remembered = request.cookies[LanguageCookie.name].flatMap({ Language(rawValue: $0.value) }),
           offered.contains(remembered) {
            return remembered
        }
        if let header = request.headers[.acceptLanguage],
           let preferred = Language.preferred(fromAcceptLanguage: header, offered: offered) {
            return preferred
        }
        return fallback
    }
}
