/// A petition: what is asked, of whom, and how many signatures it aims for.
///
/// The words of a petition live in ``PetitionText``, one per language; this type holds what
/// is the same in every language.
public struct Petition: Sendable, Identifiable, Equatable {
    public let id: Int64
    public let slug: String
    public var state: State
    public var goal: Int
    /// The language shown when the reader's own is not offered.
    public var defaultLanguage: Language
    /// The languages the petition's text exists in, default first.
    public var languages: [Language]
    /// The organisation the petition is addressed to, as named in the campaign content (for example `osce`).
    public var organisation: String?

    /// Where a petition is in its life.
    public enum State: String, Sendable, Codable, CaseIterable {
        case draft, open, closed, delivered

        /// Whether new signatures are accepted.
        public var acceptsSignatures: Bool { self == .open }

        /// Whether the public can see the petition: not while it is a draft.
        public var isPublic: Bool { self != .draft }

        /// Whether staff may move a petition from this state to `next`. A petition opens once;
        /// a closed one may reopen until it is delivered, and a delivered one stays delivered.
        public func canChange(to next: State) -> Bool {
            switch (self, next) {
            case (.draft, .open), (.open, .closed), (.closed, .open), (.closed, .delivered): true
            default: false
            }
        }

        /// Whether a change to a language's text replaces it (a draft) or makes a new version
        /// that later signatures are counted under (once signatures may exist).
        public var textsAreVersioned: Bool { self != .draft }
    }

    public init(
        id: Int64,
        slug: String,
        state: State,
        goal: Int,
        defaultLanguage: Language,
        languages: [Language],
        organisation: String?
    ) {
        self.id = id
        self.slug = slug
        self.state = state
        self.goal = goal
        self.defaultLanguage = defaultLanguage
        self.languages = languages
        self.organisation = organisation
    }

    /// The language to show a reader who asked for `wanted`, falling back to the default.
    public func language(for wanted: Language?) -> Language {
        if let wanted, languages.contains(wanted) { return wanted }
        return defaultLanguage
    }
}
