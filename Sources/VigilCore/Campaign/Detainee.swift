/// A person the campaign is about, with every fact the registry holds on them.
///
/// Each fact carries its sources and its visibility. Pages never show a `Detainee` read from
/// the store directly: they show a ``PublicDetainee``, which has had every restricted fact
/// removed.
public struct Detainee: Sendable, Hashable, Codable {
    /// The database's id; `nil` for a record read from content files and not stored yet.
    public var id: Int64?
    /// The stable public name of the record, used in its address (`/detainees/<slug>`).
    public var slug: String
    public var category: Category
    /// Where the person comes in the campaign's lists.
    public var position: Int
    /// Whether the record may be shown at all; an unpublished record is staff-only as a whole.
    public var published: Bool
    /// Names in the order the campaign lists them; the first common or legal Latin one is used in lists.
    public var names: [Name]
    public var born: Fact<PartialDate>?
    public var birthplace: Fact<LocalizedText>?
    public var reportedAges: [Fact<ReportedAge>]
    /// One line saying who the person is, for lists.
    public var summary: Fact<LocalizedText>?
    /// Who the person is beyond the summary: roles, work, citizenship, each line its own fact.
    public var background: [Fact<LocalizedText>]
    /// What happened to the person, oldest first.
    public var events: [TimelineEvent]
    public var proceedings: [Proceeding]

    /// How the campaign groups the people it is about.
    public enum Category: String, Sendable, Codable, CaseIterable {
        case politicalPrisoner = "political-prisoner"
        case civilian
        case prisonerOfWar = "prisoner-of-war"
    }

    /// One way the person's name is written, and who writes it so.
    public struct Name: Sendable, Hashable, Codable {
        public var text: String
        public var script: Script
        /// BCP 47 tag of the language the name is written in, such as `en`, `hy` or `ru`.
        public var language: String?
        public var kind: Kind
        public var sourcing: Sourcing
        public var visibility: Visibility

        /// The writing system, as ISO 15924 names it.
        public enum Script: String, Sendable, Codable, CaseIterable {
            case latin = "Latn"
            case armenian = "Armn"
            case cyrillic = "Cyrl"
        }

        /// What the name is: the person's own, or a form others write.
        public enum Kind: String, Sendable, Codable, CaseIterable {
            /// As on the person's identity papers.
            case legal
            /// How the person is usually called.
            case common
            /// A rendering from another script or language.
            case transliteration
            /// A mistake seen in a source, kept so that searches for it find the person.
            case misspelling
        }

        public init(
            text: String,
            script: Script,
            language: String?,
            kind: Kind,
            sourcing: Sourcing,
            visibility: Visibility = .public
        ) {
            self.text = text
            self.script = script
            self.language = language
            self.kind = kind
            self.sourcing = sourcing
            self.visibility = visibility
        }
    }

    public init(
        id: Int64? = nil,
        slug: String,
        category: Category,
        position: Int,
        published: Bool = true,
        names: [Name],
        born: Fact<PartialDate>? = nil,
        birthplace: Fact<LocalizedText>? = nil,
        reportedAges: [Fact<ReportedAge>] = [],
        summary: Fact<LocalizedText>? = nil,
        background: [Fact<LocalizedText>] = [],
        events: [TimelineEvent] = [],
        proceedings: [Proceeding] = []
    ) {
        self.id = id
        self.slug = slug
        self.category = category
        self.position = position
        self.published = published
        self.names = names
        self.born = born
        self.birthplace = birthplace
        self.reportedAges = reportedAges
        self.summary = summary
        self.background = background
        self.events = events
        self.proceedings = proceedings
    }

    /// The name shown in lists: the first common or legal name in Latin script.
    public var displayName: String {
        names.first { $0.script == .latin && ($0.kind == .common || $0.kind == .legal) }?.text
            ?? names.first?.text ?? slug
    }

    /// Up to two capital letters from the display name, for the tile shown instead of a photo.
    public var initials: String {
        let words = displayName.split(whereSeparator: { $0.isWhitespace || $0 == "-" })
        let picked = words.count > 1 ? [words[0], words[words.count - 1]] : Array(words.prefix(1))
        return picked.compactMap { $0.first.map { String($0).uppercased() } }.joined()
    }

    /// The events that belong to a proceeding, in timeline order: its dates.
    public func events(of proceeding: Proceeding) -> [TimelineEvent] {
        events.filter { $0.proceeding == proceeding.key }
    }
}
