/// A text written for readers in one or more languages, with English as the fallback.
///
/// Descriptions in the registry are Vigil's own words; each language is written, never
/// machine-translated, so a language may be missing and then English is shown.
public struct LocalizedText: Sendable, Hashable, Codable {
    /// The text per language.
    public let texts: [Language: String]

    public init(_ texts: [Language: String]) {
        self.texts = texts
    }

    /// A text that exists only in English so far.
    public init(english: String) {
        texts = [.english: english]
    }

    /// The text in `language`, else in English, else in any language it has.
    public func text(in language: Language) -> String {
        texts[language] ?? texts[.fallback] ?? Language.allCases.lazy.compactMap { texts[$0] }.first ?? ""
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: LanguageKey.self)
        var texts: [Language: String] = [:]
        for key in container.allKeys {
            guard let language = Language(rawValue: key.stringValue) else {
                throw DecodingError.dataCorruptedError(
                    forKey: key, in: container, debugDescription: "'\(key.stringValue)' is not a supported language"
                )
            }
            texts[language] = try container.decode(String.self, forKey: key)
        }
        self.texts = texts
    }

    /// Written in the order of ``Language/allCases``, so exported files do not change from run to run.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: LanguageKey.self)
        for language in Language.allCases {
            if let text = texts[language] { try container.encode(text, forKey: LanguageKey(stringValue: language.rawValue)) }
        }
    }

    private struct LanguageKey: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
