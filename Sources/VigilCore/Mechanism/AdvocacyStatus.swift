/// Where the campaign stands with one OSCE participating State on invoking the Moscow Mechanism.
///
/// The order is the order of the public page's groups: the furthest along first.
public enum AdvocacyStatus: String, Sendable, Codable, CaseIterable {
    /// The State has said it will join an invocation; only these count toward a threshold.
    case committed = "committed"
    /// The State has spoken in favour but not committed to invoke.
    case supportive
    /// The campaign has met the State's delegation or officials.
    case met
    /// The campaign has written to or called the State.
    case contacted
    /// Nothing yet: every State starts here.
    case notContacted = "not-contacted"
    /// The State has said it will not join an invocation.
    case declined
}

/// Who may read a note about a State's position.
public enum NoteVisibility: String, Sendable, Codable, CaseIterable {
    /// Shown on the public page and in the API.
    case `public`
    /// Staff only: never leaves the console.
    case `internal`
}
