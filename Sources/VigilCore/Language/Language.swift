import Foundation

/// A language Vigil can show pages and send e-mails in.
///
/// The campaign's content decides which languages a petition is offered in; this list is the
/// set the interface itself is translated into.
public enum Language: String, CaseIterable, Sendable, Codable, Hashable {
    case english = "en"
    case armenian = "hy"
    case french = "fr"
    case russian = "ru"

    /// The language every other one falls back to when a text is missing.
    public static let fallback: Language = .english

    /// The BCP 47 tag, as used in `lang` attributes and `Content-Language`.
    public var tag: String { rawValue }

    /// The name of the language written in that language, for a language switcher.
    public var nativeName: String {
        switch self {
        case .english: "English"
        case .armenian: "Հայերեն"
        case .french: "Français"
        case .russian: "Русский"
        }
    }

    /// The Foundation locale used to format numbers, dates and country names.
    public var locale: Locale { Locale(identifier: rawValue) }

    /// A site path in this language: `/hy/detainees` for `/detainees`.
    ///
    /// The language sits in the first path segment so that a link, a bookmark or a search
    /// engine always lands on the same language, whatever the browser's settings say.
    public func path(_ path: String) -> String {
        path == "/" ? "/\(rawValue)/" : "/\(rawValue)\(path)"
    }

    /// Splits a language prefix off a request path: `/fr/verify` gives French and `/verify`.
    ///
    /// A bare `/fr` counts as `/fr/`; a query string is kept. Returns `nil` when the first
    /// segment names no language.
    public static func prefix(of path: String) -> (language: Language, rest: String)? {
        guard path.hasPrefix("/") else { return nil }
        let afterSlash = path.dropFirst()
        let segment = afterSlash.prefix { $0 != "/" && $0 != "?" }
        guard let language = Language(rawValue: String(segment)) else { return nil }
        let rest = afterSlash.dropFirst(segment.count)
        return (language, rest.hasPrefix("/") ? String(rest) : "/" + rest)
    }

    /// Picks the best language from an HTTP `Accept-Language` header among those offered.
    ///
    /// Quality values are honoured; a tag such as `fr-CA` matches `fr`. Returns `nil` when
    /// nothing offered is acceptable, so the caller can choose its own default.
    public static func preferred(
        fromAcceptLanguage header: String,
        offered: [Language]
    ) -> Language? {
        var ranked: [(language: Language, quality: Double, order: Int)] = []
        for (order, part) in header.split(separator: ",").enumerated() {
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let range = pieces.first, !range.isEmpty else { continue }
            var quality = 1.0
            for parameter in pieces.dropFirst() where parameter.hasPrefix("q=") {
                quality = Double(parameter.dropFirst(2)) ?? 0
            }
            guard quality > 0 else { continue }
            let primary = range.split(separator: "-").first.map { $0.lowercased() } ?? ""
            if let language = offered.first(where: { $0.rawValue == primary }) {
                ranked.append((language, quality, order))
            }
        }
        return ranked.sorted { ($0.quality, -$0.order) > ($1.quality, -$1.order) }.first?.language
    }
}
