import Hummingbird
import VigilCore

extension Language {
    /// The language to answer in, among those offered: the path's prefix (`/hy/…`) first, then
    /// an explicit `lang` query parameter (older links and forms), then the language last
    /// chosen through a prefix (its cookie), then the browser's `Accept-Language`, then the
    /// petition's default.
    static func chosen(
        for request: Request,
        context: VigilRequestContext,
        offered: [Language],
        default fallback: Language
    ) -> Language {
        let explicit = [
            context.pathLanguage,
            request.uri.queryParameters["lang"].flatMap { Language(rawValue: String($0)) },
            request.cookies[LanguageCookie.name].flatMap { Language(rawValue: $0.value) },
        ]
        if let asked = explicit.compactMap({ $0 }).first(where: offered.contains) {
            return asked
        }
        if let header = request.headers[.acceptLanguage],
           let preferred = Language.preferred(fromAcceptLanguage: header, offered: offered) {
            return preferred
        }
        return fallback
    }
}
