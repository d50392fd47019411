/// Something that happened to a person, as precisely dated as the sources allow.
public struct TimelineEvent: Sendable, Hashable, Codable {
    public var kind: Kind
    /// When it happened; `nil` when no source dates it.
    public var date: PartialDate?
    public var place: LocalizedText?
    /// A place can endanger people (a prison, a family's village) while the event itself may be told.
    public var placeVisibility: Visibility
    /// What happened, in Vigil's words.
    public var description: LocalizedText
    /// What the sources leave unclear about it, in Vigil's words.
    public var unclear: LocalizedText?
    /// The ``Proceeding/key`` of the trial this event belongs to, if any.
    public var proceeding: String?
    public var sourcing: Sourcing
    public var visibility: Visibility

    /// What kind of thing happened. The kind, not the wording, decides the person's current status.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case detained
        case abducted
        case reportedMissing = "reported-missing"
        case arrestAnnounced = "arrest-announced"
        case charged
        case tried
        case sentenced
        case appealRejected = "appeal-rejected"
        case transferred
        case released
        case died
    }

    public init(
        kind: Kind,
        date: PartialDate?,
        place: LocalizedText? = nil,
        placeVisibility: Visibility = .public,
        description: LocalizedText,
        unclear: LocalizedText? = nil,
        proceeding: String? = nil,
        sourcing: Sourcing,
        visibility: Visibility = .public
    ) {
        self.kind = kind
        self.date = date
        self.place = place
        self.placeVisibility = placeVisibility
        self.description = description
        self.unclear = unclear
        self.proceeding = proceeding
        self.sourcing = sourcing
        self.visibility = visibility
    }
}
