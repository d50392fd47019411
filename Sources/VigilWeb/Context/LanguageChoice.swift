import Hummingbird
import VigilCore

extension Language {
    /// The language to answer in: an explicit `?lang=` first, then the browser's
    /// `Accept-Language`, then the petition's default.
    static func chosen(for request: Request, offered: [Language], default fallback: Language) -> Language {
        if let asked = request.uri.queryParameters["lang"].flatMap({ Language(rawValue: String($0)) }), offered.contains(asked) {
            return asked
        }
        if let header = request.headers[.acceptLanguage],
           let preferred = Language.preferred(fromAcceptLanguage: header, offered: offered) {
            return preferred
        }
        return fallback
    }
}
