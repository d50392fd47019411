import Foundation
import Testing
import VigilCore

/// The interface's message files, read as they ship: every language complete, every text
/// used somewhere, and translations keeping the English placeholders.
@Suite("Message catalogue files")
struct MessageCatalogueFilesTests {
    static let sources = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources")
    static let messages = sources.appendingPathComponent("VigilWeb/Resources/messages")

    static func catalogue(_ language: Language) throws -> [String: String] {
        let data = try Data(contentsOf: messages.appendingPathComponent("\(language.rawValue).json"))
        return try JSONDecoder().decode([String: String].self, from: data)
    }

    /// A key without its plural ending: `progress_total` for `progress_total.other`.
    static func base(of key: String) -> (base: String, category: PluralCategory?) {
        let parts = key.split(separator: ".", maxSplits: 1)
        guard parts.count == 2, let category = PluralCategory(rawValue: String(parts[1])) else { return (key, nil) }
        return (String(parts[0]), category)
    }

    /// The plural categories a language's rules can pick, found by asking them.
    static func categories(of language: Language) -> Set<PluralCategory> {
        Set((0...200).map { PluralCategory($0, in: language) })
    }

    static func placeholders(_ text: String) -> Set<String> {
        var names: Set<String> = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            names.insert(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return names
    }

    @Test("every language has every English text, in each plural form its rules use", arguments: Language.allCases)
    func complete(language: Language) throws {
        let english = try Self.catalogue(.english)
        let own = try Self.catalogue(language)
        let needed = Self.categories(of: language)
        var missing: Set<String> = []
        for key in english.keys {
            let (base, category) = Self.base(of: key)
            let forms = category == nil ? [key] : needed.map { "\(base).\($0.rawValue)" }
            missing.formUnion(forms.filter { own[$0] == nil })
        }
        #expect(missing.isEmpty, "\(language.rawValue).json lacks \(missing.sorted())")
        let englishBases = Set(english.keys.map { Self.base(of: $0).base })
        let strays = own.keys.filter { !englishBases.contains(Self.base(of: $0).base) }
        #expect(strays.isEmpty, "\(language.rawValue).json has texts English does not: \(strays.sorted())")
    }

    @Test("translations keep exactly the English placeholders", arguments: Language.allCases)
    func placeholdersKept(language: Language) throws {
        let english = try Self.catalogue(.english)
        let own = try Self.catalogue(language)
        for (key, text) in own {
            let (base, _) = Self.base(of: key)
            let original = english[key] ?? english["\(base).other"] ?? ""
            #expect(Self.placeholders(text) == Self.placeholders(original), "\(language.rawValue).json \(key)")
        }
    }

    @Test("every English text is used by a template or by the code")
    func everyTextUsed() throws {
        let english = try Self.catalogue(.english)
        var templates = ""
        var code = ""
        let files = FileManager.default.enumerator(at: Self.sources, includingPropertiesForKeys: nil)
        while let file = files?.nextObject() as? URL {
            switch file.pathExtension {
            case "mustache", "js": templates += try String(contentsOf: file, encoding: .utf8)
            case "swift": code += try String(contentsOf: file, encoding: .utf8)
            default: continue
            }
        }
        // Families chosen at run time: `"event_" + kind` or `"role_\(role)"` use every key
        // that starts with the prefix, and `"\(key)_title"` every key made from a stem the code names.
        let prefixes = Self.matches(of: #""([a-z][a-z_]*_)(?:\\\(|" \+)"#, in: code)
        let suffixes = Self.matches(of: #""\\\([a-z]+\)(_[a-z]+)""#, in: code)
        let unused = Set(english.keys.map { Self.base(of: $0).base }).filter { key in
            if templates.contains("t.\(key)") || code.contains("\"\(key)\"") { return false }
            if prefixes.contains(where: { key.hasPrefix($0) }) { return false }
            return !suffixes.contains { key.hasSuffix($0) && code.contains("\"\(key.dropLast($0.count))\"") }
        }
        #expect(unused.isEmpty, "texts no page, e-mail or code uses: \(unused.sorted())")
    }

    static func matches(of pattern: String, in text: String) -> Set<String> {
        guard let expression = try? NSRegularExpression(pattern: pattern) else { return [] }
        let range = NSRange(text.startIndex..., in: text)
        return Set(expression.matches(in: text, range: range).compactMap { match in
            Range(match.range(at: 1), in: text).map { String(text[$0]) }
        })
    }
}
