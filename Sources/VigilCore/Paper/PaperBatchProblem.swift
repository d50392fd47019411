/// Why a batch of paper signatures, or its review, was refused. The sheet's own problems are
/// ``PaperSheetProblem``s, carried in ``Kind/sheet(_:)`` with their line and column.
public struct PaperBatchProblem: Error, Sendable, Equatable {
    /// The part of the upload form the problem is in.
    public enum Field: String, Sendable, CaseIterable {
        case sheet, scans, collectedBy = "collected_by", collectedOn = "collected_on", receivedBy = "received_by"
        case receivedOn = "received_on", committee, note
    }

    public enum Kind: Sendable, Equatable {
        case sheet(PaperSheetProblem)
        case required
        case tooLong(maximum: Int)
        case notADay
        case dayInFuture
        case receivedBeforeCollected
        case signedAfterCollection(line: Int)
        case noScans
        case tooManyScans(maximum: Int)
        case emptyScan(String)
        case scanTooLarge(String, maximumBytes: Int)
        case scanNotPDFOrImage(String)
        /// The person who submitted a batch may not review it.
        case reviewerIsSubmitter
        /// The batch was accepted or rejected already.
        case alreadyReviewed
        /// A rejection must say why, so the coordinator can put it right.
        case rejectionWithoutReason
    }

    public let kind: Kind
    public let field: Field

    public init(_ kind: Kind, field: Field) {
        self.kind = kind
        self.field = field
    }

    /// The key of the problem's text in the message catalogues; a sheet's problem has its own
    /// (``PaperSheetProblem/messageKey``), which a place on the sheet goes before.
    public var messageKey: String {
        switch kind {
        case .sheet(let problem): problem.messageKey
        case .required: "paper_problem_required"
        case .tooLong: "paper_problem_too_long"
        case .notADay: "paper_problem_not_a_day"
        case .dayInFuture: "paper_problem_day_in_future"
        case .receivedBeforeCollected: "paper_problem_received_before_collected"
        case .signedAfterCollection: "paper_problem_signed_after_collection"
        case .noScans: "paper_problem_no_scans"
        case .tooManyScans: "paper_problem_too_many_scans"
        case .emptyScan: "paper_problem_empty_scan"
        case .scanTooLarge: "paper_problem_scan_too_large"
        case .scanNotPDFOrImage: "paper_problem_scan_not_pdf_or_image"
        case .reviewerIsSubmitter: "paper_problem_reviewer_is_submitter"
        case .alreadyReviewed: "paper_problem_already_reviewed"
        case .rejectionWithoutReason: "paper_problem_rejection_without_reason"
        }
    }

    /// The numbers and names the problem's text takes, unformatted.
    public var messageValues: [String: String] {
        switch kind {
        case .sheet(let problem): problem.messageValues
        case .tooLong(let maximum), .tooManyScans(let maximum): ["maximum": String(maximum)]
        case .signedAfterCollection(let line): ["line": String(line)]
        case .emptyScan(let name), .scanNotPDFOrImage(let name): ["file": name]
        case .scanTooLarge(let name, let maximum): ["file": name, "maximum": String(maximum / 1_048_576)]
        default: [:]
        }
    }
}
