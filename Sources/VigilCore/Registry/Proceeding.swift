/// A trial or other court proceeding against a person. Its dates are those of the timeline
/// events that refer to it (``TimelineEvent/proceeding``), so each date is written once.
public struct Proceeding: Sendable, Hashable, Codable {
    /// Short name, unique for the person, that timeline events refer to.
    public var key: String
    public var court: LocalizedText
    /// Where the hearings took place, when the source says and it is not the court itself.
    public var place: LocalizedText?
    /// The presiding judge, when a source names them.
    public var judge: String?
    public var judgeVisibility: Visibility
    /// The charges, each in Vigil's words.
    public var charges: [LocalizedText]
    public var verdict: Verdict?
    /// Years of imprisonment the sentence imposes.
    public var sentenceYears: Int?
    /// Anything else a reader should know, such as how the sources describe the trial.
    public var note: LocalizedText?
    public var sourcing: Sourcing
    public var visibility: Visibility

    /// The outcome of the proceeding.
    public enum Verdict: String, Sendable, Hashable, Codable, CaseIterable {
        case guilty
        case notGuilty = "not-guilty"
        case pending
    }

    public init(
        key: String,
        court: LocalizedText,
        place: LocalizedText? = nil,
        judge: String? = nil,
        judgeVisibility: Visibility = .public,
        charges: [LocalizedText],
        verdict: Verdict?,
        sentenceYears: Int?,
        note: LocalizedText? = nil,
        sourcing: Sourcing,
        visibility: Visibility = .public
    ) {
        self.key = key
        self.court = court
        self.place = place
        self.judge = judge
        self.judgeVisibility = judgeVisibility
        self.charges = charges
        self.verdict = verdict
        self.sentenceYears = sentenceYears
        self.note = note
        self.sourcing = sourcing
        self.visibility = visibility
    }
}
