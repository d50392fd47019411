import Foundation
import VigilCore

/// One change staff recorded about a participating State: the status it moved to, on which day,
/// and a note that is either public or for staff only.
public struct AdvocacyEntry: Sendable, Equatable {
    public let id: Int64
    /// ISO 3166-1 alpha-2 code of the State.
    public let country: String
    public let status: AdvocacyStatus
    /// `nil` when there is none, and always `nil` for an internal note read for the public.
    public let note: String?
    public let noteVisibility: NoteVisibility
    /// The day the entry is about (a meeting, a letter, an answer).
    public let notedOn: Date
    /// Who recorded it: a staff member's address, or the command line.
    public let actor: String
    public let recordedAt: Date
}

/// A tracker change the store refuses, naming the field at fault; nothing was changed.
public enum MechanismProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// The field a problem is about, named as in the console's form.
    public enum Field: String, Sendable {
        case country, status, note, visibility, date
    }

    /// Not one of the tracked organisation's member States.
    case unknownCountry(String)
    /// A note longer than `Store.maximumAdvocacyNote`.
    case noteTooLong(maximum: Int)
    /// Dated after tomorrow.
    case dateInFuture

    public var field: Field {
        switch self {
        case .unknownCountry: .country
        case .noteTooLong: .note
        case .dateInFuture: .date
        }
    }

    public var description: String {
        switch self {
        case .unknownCountry(let code): "'\(code)' is not one of the participating States tracked"
        case .noteTooLong(let maximum): "the note is longer than \(maximum) characters"
        case .dateInFuture: "the date is in the future"
        }
    }
}
