import Foundation
import VigilCore

/// A batch of paper signatures as a coordinator sends it: the sheet typed into CSV, the scans
/// of the sheets, and their chain of custody.
public struct PaperBatchSubmission: Sendable {
    public var petitionID: Int64
    /// The committee that collected the sheets; a coordinator's own.
    public var committeeID: Int64?
    /// The CSV file as uploaded (``PaperSheet``'s columns).
    public var sheet: Data
    public var scans: [PaperScan]
    public var custody: PaperCustody
    public var note: String?

    public init(petitionID: Int64, committeeID: Int64?, sheet: Data, scans: [PaperScan], custody: PaperCustody, note: String?) {
        self.petitionID = petitionID
        self.committeeID = committeeID
        self.sheet = sheet
        self.scans = scans
        self.custody = custody
        self.note = note
    }
}

/// A batch of paper signatures as stored, with where its review stands.
public struct PaperBatch: Sendable, Identifiable, Equatable {
    public enum Status: String, Sendable, CaseIterable {
        /// Waiting for a second person to review it.
        case submitted
        /// Reviewed and counted, but for the rows flagged as duplicates.
        case accepted
        /// Reviewed and refused; nothing of it counts.
        case rejected
    }

    /// A scan kept with the batch, without its content.
    public struct Scan: Sendable, Equatable {
        public let position: Int
        public let fileName: String
        public let mediaType: PaperScan.MediaType
        public let byteCount: Int
        /// Hex SHA-256 of the file.
        public let contentHash: String
    }

    public let id: Int64
    public let petitionID: Int64
    public let committeeID: Int64?
    public let status: Status
    public let rowCount: Int
    /// Hex SHA-256 of the CSV file as uploaded.
    public let sheetHash: String
    public let custody: PaperCustody
    public let note: String?
    public let submittedBy: Int64
    public let submittedAt: Date
    public let reviewedBy: Int64?
    public let reviewedAt: Date?
    public let reviewNote: String?
    /// Rows that count, once accepted.
    public let counted: Int?
    /// Rows left out as duplicates of earlier signatures, once accepted.
    public let duplicates: Int?
    public let scans: [Scan]
    /// When the retention rule erased the sheet and the scans; their hashes and the custody stay.
    public let erasedAt: Date?
}

/// One row of a batch's sheet, as a reviewer sees it.
public struct PaperRow: Sendable, Equatable {
    public let signature: PaperSignature
    /// Whether the row's address has signed the petition already, online, through a partner or
    /// on an earlier sheet: such a row is not counted again.
    public let isDuplicate: Bool
}
