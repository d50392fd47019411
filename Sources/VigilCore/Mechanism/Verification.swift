/// How well a statement about the Moscow Mechanism is backed, as the campaign's research marked it.
public enum Verification: String, Sendable, Codable, CaseIterable {
    /// Seen in an official or primary text, or a reliable secondary page quoting it.
    case verified
    /// Seen only in secondary sources.
    case secondary
    /// Not checked against the primary text; to be read with care.
    case unverified
}
