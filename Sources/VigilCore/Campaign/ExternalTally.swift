import Foundation

/// Signatures collected somewhere else and counted toward the goal, with where the figure comes from.
public struct ExternalTally: Sendable, Equatable {
    /// Who collected them, for example `armeniancause.net`.
    public var sourceName: String
    /// Where the figure can be checked.
    public var sourceURL: String?
    public var count: Int
    /// The day the count was true, if the source says; `nil` when it does not.
    public var countedOn: Date?
    /// The day the figure was entered into Vigil.
    public var recordedOn: Date
    /// How the figure was obtained, in the campaign's default language.
    public var note: String?

    public init(
        sourceName: String,
        sourceURL: String?,
        count: Int,
        countedOn: Date?,
        recordedOn: Date,
        note: String?
    ) {
        self.sourceName = sourceName
        self.sourceURL = sourceURL
        self.count = count
        self.countedOn = countedOn
        self.recordedOn = recordedOn
        self.note = note
    }
}
