import Foundation

/// Every user-facing string, keyed by language, with `{name}` placeholders.
///
/// A text missing in one language falls back to English, so a partial translation never
/// shows a blank. Counted phrases are stored as `key.one`, `key.few`, `key.many` and
/// `key.other` and chosen by ``PluralCategory``.
public struct MessageCatalogue: Sendable {
    private let texts: [Language: [String: String]]

    /// Why a catalogue file could not be read.
    public struct Problem: Error, Sendable, CustomStringConvertible {
        public let language: Language
        public let reason: String
        public var description: String { "message catalogue \(language.rawValue): \(reason)" }
    }

    public init(texts: [Language: [String: String]]) {
        self.texts = texts
    }

    /// Reads one flat JSON object of key → text per language.
    public init(json files: [Language: Data]) throws {
        var texts: [Language: [String: String]] = [:]
        for (language, data) in files {
            do {
                texts[language] = try JSONDecoder().decode([String: String].self, from: data)
            } catch {
                throw Problem(language: language, reason: "not a JSON object of strings (\(error))")
            }
        }
        self.texts = texts
    }

    /// The text for `key`, with each `{name}` replaced by `values[name]`.
    public func text(_ key: String, in language: Language, _ values: [String: String] = [:]) -> String {
        let template = texts[language]?[key] ?? texts[.fallback]?[key] ?? key
        return Self.fill(template, with: values)
    }

    /// A counted phrase in the right plural form; `{count}` receives the formatted number.
    public func text(_ key: String, count: Int, in language: Language, _ values: [String: String] = [:]) -> String {
        var filled = values
        filled["count"] = filled["count"] ?? count.formatted(.number.locale(language.locale))
        let category = PluralCategory(count, in: language)
        let own = texts[language]?["\(key).\(category.rawValue)"] ?? texts[language]?["\(key).other"]
        if let own { return Self.fill(own, with: filled) }
        let fallbackCategory = PluralCategory(count, in: .fallback)
        let fallback = texts[.fallback]?["\(key).\(fallbackCategory.rawValue)"] ?? texts[.fallback]?["\(key).other"]
        return Self.fill(fallback ?? key, with: filled)
    }

    /// Every text of a language, with English filling the gaps: what a template receives.
    public func texts(in language: Language) -> [String: String] {
        (texts[.fallback] ?? [:]).merging(texts[language] ?? [:]) { _, own in own }
    }

    /// Every key the catalogue knows in a language, for completeness checks.
    public func keys(in language: Language) -> Set<String> {
        Set(texts[language]?.keys ?? [:].keys)
    }

    static func fill(_ template: String, with values: [String: String]) -> String {
        guard template.contains("{"), !values.isEmpty else { return template }
        var result = template
        for (name, value) in values {
            result = result.replacingOccurrences(of: "{\(name)}", with: value)
        }
        return result
    }
}
