/// One thing the registry states about a person, with where it comes from and who may see it.
public struct Fact<Value: Sendable & Hashable & Codable>: Sendable, Hashable, Codable {
    public var value: Value
    public var sourcing: Sourcing
    public var visibility: Visibility
    /// What the sources leave unclear about this fact, in Vigil's words.
    public var unclear: LocalizedText?

    public init(_ value: Value, sourcing: Sourcing, visibility: Visibility = .public, unclear: LocalizedText? = nil) {
        self.value = value
        self.sourcing = sourcing
        self.visibility = visibility
        self.unclear = unclear
    }
}

/// An age as a source gives it. Vigil keeps the age and the date it was true, and never turns
/// it into a birth date it does not know.
public struct ReportedAge: Sendable, Hashable, Codable {
    public var years: Int
    /// When the age was true; `nil` when the source does not say and is itself undated.
    public var asOf: PartialDate?

    public init(years: Int, asOf: PartialDate?) {
        self.years = years
        self.asOf = asOf
    }
}
