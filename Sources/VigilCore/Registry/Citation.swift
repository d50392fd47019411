/// Ties one fact to the source it comes from.
public struct Citation: Sendable, Hashable, Codable {
    /// The ``Source/key`` of the source.
    public var source: String
    /// Where in the source the fact is: a section, a page, a paragraph.
    public var location: String?
    /// The source's own words, kept short, when the wording matters (for instance when it is unclear).
    public var quote: String?
    public var reliability: Reliability

    /// How far a fact can be relied on, as the editors judge it from this source.
    public enum Reliability: String, Sendable, Hashable, Codable, CaseIterable {
        /// A court record, an official statement or another primary document says it.
        case official
        /// Several independent sources agree.
        case corroborated
        /// One source reports it and nothing contradicts it.
        case reported
        /// The source's text is ambiguous or contradicts itself here; the fact says what is unclear.
        case unclear
    }

    public init(source: String, location: String? = nil, quote: String? = nil, reliability: Reliability) {
        self.source = source
        self.location = location
        self.quote = quote
        self.reliability = reliability
    }
}

/// Where a fact comes from: one or more citations, or an explicit statement that no source
/// is cited yet. There is no third way, so a fact cannot lose its sources silently.
public enum Sourcing: Sendable, Hashable, Codable {
    case cited([Citation])
    /// Added by the editors without a source so far (for instance a name in Armenian script);
    /// pages say so.
    case unsourced

    /// The citations, empty when unsourced.
    public var citations: [Citation] {
        if case .cited(let citations) = self { return citations }
        return []
    }

    public var isUnsourced: Bool { self == .unsourced }
}
