import Foundation

/// Who carried a batch of paper sheets from the street to the campaign, and when: the chain of
/// custody a reviewer, and later a sceptic, can follow.
public struct PaperCustody: Sendable, Equatable {
    /// The volunteer or committee member who collected the signatures.
    public let collectedBy: String
    /// The last day of collection, as midnight UTC.
    public let collectedOn: Date
    /// The person who received the sheets for the campaign.
    public let receivedBy: String
    /// The day the sheets were handed over, as midnight UTC.
    public let receivedOn: Date

    /// The longest name accepted for a person in the chain.
    public static let maximumNameLength = 200

    /// Checks the custody fields as typed: both names, both days written YYYY-MM-DD, received
    /// no earlier than collected and neither after `today`.
    public static func checked(
        collectedBy: String, collectedOn: String, receivedBy: String, receivedOn: String, today: Date
    ) throws(PaperBatchProblem) -> PaperCustody {
        func name(_ text: String, _ field: PaperBatchProblem.Field) throws(PaperBatchProblem) -> String {
            let cleaned = SignatureForm.cleaned(text)
            guard !cleaned.isEmpty else { throw PaperBatchProblem(.required, field: field) }
            guard cleaned.count <= maximumNameLength else { throw PaperBatchProblem(.tooLong(maximum: maximumNameLength), field: field) }
            return cleaned
        }
        func day(_ text: String, _ field: PaperBatchProblem.Field) throws(PaperBatchProblem) -> Date {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { throw PaperBatchProblem(.required, field: field) }
            guard let day = Date(day: trimmed) else { throw PaperBatchProblem(.notADay, field: field) }
            guard TallyDay(day) <= TallyDay(today) else { throw PaperBatchProblem(.dayInFuture, field: field) }
            return day
        }
        let custody = PaperCustody(
            collectedBy: try name(collectedBy, .collectedBy),
            collectedOn: try day(collectedOn, .collectedOn),
            receivedBy: try name(receivedBy, .receivedBy),
            receivedOn: try day(receivedOn, .receivedOn)
        )
        guard custody.receivedOn >= custody.collectedOn else { throw PaperBatchProblem(.receivedBeforeCollected, field: .receivedOn) }
        return custody
    }

    public init(collectedBy: String, collectedOn: Date, receivedBy: String, receivedOn: Date) {
        self.collectedBy = collectedBy
        self.collectedOn = collectedOn
        self.receivedBy = receivedBy
        self.receivedOn = receivedOn
    }

    /// Refuses a sheet whose signatures are dated after the sheets were collected: they cannot
    /// have been on them.
    public func check(_ sheet: PaperSheet) throws(PaperBatchProblem) {
        if let late = sheet.signatures.first(where: { TallyDay($0.signedOn) > TallyDay(collectedOn) }) {
            throw PaperBatchProblem(.signedAfterCollection(line: late.line), field: .sheet)
        }
    }
}
