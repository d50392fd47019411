/// A document facts in the registry are taken from: an article, a report, a court record.
public struct Source: Sendable, Hashable, Codable, Identifiable {
    /// Short stable name that citations refer to, such as `armeniancause-petition-article`.
    public var key: String
    public var title: String
    public var publisher: String?
    public var url: String?
    /// When the source was published, as precisely as it says.
    public var published: PartialDate?
    /// When Vigil's editors last read it.
    public var accessed: PartialDate?
    /// What a reader should know about the source itself, in Vigil's words.
    public var note: LocalizedText?

    public var id: String { key }

    public init(
        key: String,
        title: String,
        publisher: String? = nil,
        url: String? = nil,
        published: PartialDate? = nil,
        accessed: PartialDate? = nil,
        note: LocalizedText? = nil
    ) {
        self.key = key
        self.title = title
        self.publisher = publisher
        self.url = url
        self.published = published
        self.accessed = accessed
        self.note = note
    }
}
