/// Everything the registry holds: its sources and every record, restricted facts included.
///
/// Only staff tools (the content export) see a `Registry`; the public sees a ``PublicRegistry``.
public struct Registry: Sendable, Hashable {
    public var sources: [Source]
    /// In the campaign's order.
    public var detainees: [Detainee]

    public init(sources: [Source], detainees: [Detainee]) {
        self.sources = sources
        self.detainees = detainees
    }
}

/// The registry as anyone may see it: unpublished records and restricted facts removed, and
/// only the sources that what remains still cites.
///
/// This is the one place where restricted facts are dropped. Every public page, export, feed,
/// search and API answer is built from a `PublicRegistry`, which can only be made by filtering.
public struct PublicRegistry: Sendable {
    public let sources: [Source]
    public let detainees: [PublicDetainee]

    public init(filtering registry: Registry) {
        let detainees = registry.detainees.compactMap(PublicDetainee.init(filtering:))
        var cited = Set<String>()
        for detainee in detainees {
            for citation in detainee.record.allCitations { cited.insert(citation.source) }
        }
        self.detainees = detainees
        sources = registry.sources.filter { cited.contains($0.key) }
    }

    /// The record with this slug, if it is public.
    public func detainee(slug: String) -> PublicDetainee? {
        detainees.first { $0.record.slug == slug }
    }
}

/// A record with every restricted fact removed. It can only be made by ``init(filtering:)``.
public struct PublicDetainee: Sendable, Hashable {
    /// The record as the public may see it: everything left in it is public.
    public let record: Detainee

    /// The public part of a record; `nil` when the record is unpublished or has no public name.
    public init?(filtering detainee: Detainee) {
        guard detainee.published else { return nil }
        var record = detainee
        record.names = detainee.names.filter { $0.visibility == .public }
        guard !record.names.isEmpty else { return nil }
        record.born = detainee.born.flatMap(Self.publicFact)
        record.birthplace = detainee.birthplace.flatMap(Self.publicFact)
        record.reportedAges = detainee.reportedAges.compactMap(Self.publicFact)
        record.summary = detainee.summary.flatMap(Self.publicFact)
        record.background = detainee.background.compactMap(Self.publicFact)
        record.proceedings = detainee.proceedings.filter { $0.visibility == .public }.map { proceeding in
            var shown = proceeding
            if proceeding.judgeVisibility == .restricted {
                shown.judge = nil
                shown.judgeVisibility = .public
            }
            return shown
        }
        let shownProceedings = Set(record.proceedings.map(\.key))
        record.events = detainee.events.filter { $0.visibility == .public }.map { event in
            var shown = event
            if event.placeVisibility == .restricted {
                shown.place = nil
                shown.placeVisibility = .public
            }
            // Even the key of a restricted proceeding is staff's business.
            if let key = event.proceeding, !shownProceedings.contains(key) { shown.proceeding = nil }
            return shown
        }
        self.record = record
    }

    private static func publicFact<Value>(_ fact: Fact<Value>) -> Fact<Value>? {
        fact.visibility == .public ? fact : nil
    }
}

extension Detainee {
    /// Every citation in the record, in the order a profile shows the facts.
    public var allCitations: [Citation] {
        var citations: [Citation] = []
        citations += summary?.sourcing.citations ?? []
        citations += born?.sourcing.citations ?? []
        citations += birthplace?.sourcing.citations ?? []
        citations += reportedAges.flatMap(\.sourcing.citations)
        citations += background.flatMap(\.sourcing.citations)
        citations += events.flatMap(\.sourcing.citations)
        citations += proceedings.flatMap(\.sourcing.citations)
        citations += names.flatMap(\.sourcing.citations)
        return citations
    }
}
