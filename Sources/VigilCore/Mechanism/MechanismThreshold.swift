/// A number of States the Moscow Document asks for before a step can be taken, and how close
/// the States committed to invoke it have come.
///
/// Paragraph 9 needs a requesting State with the support of five others; paragraph 12 a
/// requesting State with nine others. The rule text lives in the campaign's content, with its
/// sources; this type only counts.
public struct MechanismThreshold: Sendable, Equatable {
    /// The paragraph of the Moscow Document that sets the number.
    public let paragraph: Int
    /// States that must ask (one) and States that must support them.
    public let requesting: Int
    public let supporting: Int
    /// States committed to invoke, counted now.
    public let committed: Int

    public init(paragraph: Int, requesting: Int, supporting: Int, committed: Int) {
        self.paragraph = paragraph
        self.requesting = requesting
        self.supporting = supporting
        self.committed = max(0, committed)
    }

    /// States needed in all.
    public var required: Int { requesting + supporting }

    /// States still needed; zero once the threshold is reached.
    public var remaining: Int { max(0, required - committed) }

    public var isReached: Bool { remaining == 0 }

    /// Whole percent of the threshold, rounded down, so a meter never claims more than is true.
    public var percent: Int {
        guard required > 0 else { return 100 }
        return min(100, committed * 100 / required)
    }
}
