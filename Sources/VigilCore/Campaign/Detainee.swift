/// A person the campaign is about.
public struct Detainee: Sendable, Equatable, Identifiable {
    public let id: Int64
    public let slug: String
    public var category: Category
    /// Names in the order the campaign lists them; the first is the one used in lists.
    public var names: [Name]

    /// How the campaign groups the people it is about.
    public enum Category: String, Sendable, Codable, CaseIterable {
        case politicalPrisoner = "political-prisoner"
        case civilian
        case prisonerOfWar = "prisoner-of-war"
    }

    /// One way the person's name is written.
    public struct Name: Sendable, Equatable, Codable {
        public var text: String
        /// ISO 15924 script: `Latn`, `Armn`, `Cyrl`.
        public var script: String
        public var language: String?
        /// `legal`, `common`, `transliteration` or `misspelling`.
        public var kind: String

        public init(text: String, script: String, language: String?, kind: String) {
            self.text = text
            self.script = script
            self.language = language
            self.kind = kind
        }
    }

    public init(id: Int64, slug: String, category: Category, names: [Name]) {
        self.id = id
        self.slug = slug
        self.category = category
        self.names = names
    }

    /// The name shown in lists: the first common or legal name in Latin script.
    public var displayName: String {
        names.first { $0.script == "Latn" && ($0.kind == "common" || $0.kind == "legal") }?.text
            ?? names.first?.text ?? slug
    }
}
