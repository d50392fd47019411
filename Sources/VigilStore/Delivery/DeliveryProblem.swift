/// A delivery record the store refuses, naming the field at fault; nothing was changed.
///
/// Typed rather than a sentence so that the console can put a message from its catalogue
/// beside the field, while the command line prints `description`.
public enum DeliveryProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// The field a problem is about, named as in the console's forms.
    public enum Field: String, Sendable {
        case name, country, addressee, date, reference, note, summary
    }

    /// A required text is empty once trimmed.
    case empty(Field)
    /// A text is longer than `Store.maximumDeliveryText`.
    case tooLong(Field, maximum: Int)
    /// Not an ISO 3166-1 alpha-2 code.
    case unknownCountry(String)
    /// The petition already has an addressee with this name.
    case nameTaken(String)
    /// No addressee of this petition has this id.
    case unknownAddressee(Int64)
    /// A delivery or an answer dated after tomorrow.
    case dateInFuture
    /// The petition does not exist.
    case unknownPetition

    /// The field to show the problem beside.
    public var field: Field {
        switch self {
        case .empty(let field), .tooLong(let field, _): field
        case .unknownCountry: .country
        case .nameTaken: .name
        case .unknownAddressee, .unknownPetition: .addressee
        case .dateInFuture: .date
        }
    }

    public var description: String {
        switch self {
        case .empty(let field): "the \(field.rawValue) is empty"
        case .tooLong(let field, let maximum): "the \(field.rawValue) is longer than \(maximum) characters"
        case .unknownCountry(let code): "'\(code)' is not an ISO 3166-1 country code, such as FR or AM"
        case .nameTaken(let name): "the petition already has an addressee named '\(name)'"
        case .unknownAddressee(let id): "the petition has no addressee with id \(id); `vigil delivery list` shows them"
        case .dateInFuture: "the date is in the future"
        case .unknownPetition: "there is no such petition"
        }
    }
}
