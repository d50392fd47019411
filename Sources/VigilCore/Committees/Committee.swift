import Foundation

/// A local committee that carries a petition where it is: its own referral link credits it
/// with the signatures that follow, and its coordinator sees what it collected.
public struct Committee: Sendable, Equatable, Identifiable {
    public let id: Int64
    public let code: CommitteeCode
    /// The petition its referral link opens.
    public let petitionID: Int64
    public var details: CommitteeDetails
    public let createdAt: Date

    public init(id: Int64, code: CommitteeCode, petitionID: Int64, details: CommitteeDetails, createdAt: Date) {
        self.id = id
        self.code = code
        self.petitionID = petitionID
        self.details = details
        self.createdAt = createdAt
    }
}

/// What staff say about a committee, checked: a name and a place, how to reach it, the
/// languages it works in, a goal of its own, and whether it wants to be shown in public.
public struct CommitteeDetails: Sendable, Equatable {
    public static let maximumNameLength = 120
    public static let maximumContactLength = 200

    public let name: String
    public let city: String
    public let country: Country
    /// How staff reach the committee; never shown in public.
    public let contact: String
    public let languages: [Language]
    /// The committee's own goal, when it set one.
    public let goal: Int?
    /// Whether it agreed to appear in the public league of committees.
    public let shownInLeague: Bool

    public init(
        name: String, city: String, country: Country, contact: String, languages: [Language], goal: Int?, shownInLeague: Bool
    ) {
        self.name = name
        self.city = city
        self.country = country
        self.contact = contact
        self.languages = languages
        self.goal = goal
        self.shownInLeague = shownInLeague
    }

    /// Reads the console's committee form, throwing the first problem found.
    public static func checked(
        name: String, city: String, country: String, contact: String, languages: [String], goal: String, shownInLeague: Bool
    ) throws(CommitteeProblem) -> CommitteeDetails {
        let name = try text(name, field: .name, maximum: maximumNameLength, required: true)
        let city = try text(city, field: .city, maximum: maximumNameLength, required: true)
        guard let country = Country(code: country.trimmingCharacters(in: .whitespaces)) else { throw .unknownCountry }
        let contact = try text(contact, field: .contact, maximum: maximumContactLength, required: false)
        guard languages.allSatisfy({ Language(rawValue: $0) != nil }) else { throw .unknownLanguage }
        // Kept in the interface's order, whatever order the form sent them in.
        let chosen = Language.allCases.filter { language in languages.contains(language.rawValue) }
        guard !chosen.isEmpty else { throw .noLanguage }
        let goalText = goal.trimmingCharacters(in: .whitespaces)
        var goal: Int?
        if !goalText.isEmpty {
            guard let number = Int(goalText), (1...100_000_000).contains(number) else { throw .invalidGoal }
            goal = number
        }
        return CommitteeDetails(
            name: name, city: city, country: country, contact: contact, languages: chosen, goal: goal, shownInLeague: shownInLeague
        )
    }

    private static func text(_ typed: String, field: CommitteeProblem.Field, maximum: Int, required: Bool) throws(CommitteeProblem) -> String {
        let text = typed.trimmingCharacters(in: .whitespacesAndNewlines)
        if required, text.isEmpty { throw .required(field) }
        guard text.count <= maximum else { throw .tooLong(field, maximum: maximum) }
        guard !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { throw .controlCharacters(field) }
        return text
    }
}

/// Why staff's details of a committee were refused.
public enum CommitteeProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// A field of the committee form, named as in the form.
    public enum Field: String, Sendable {
        case name, city, country, contact, languages, goal, code
    }

    case required(Field)
    case tooLong(Field, maximum: Int)
    case controlCharacters(Field)
    case unknownCountry
    case noLanguage
    case unknownLanguage
    case invalidGoal
    case invalidCode
    /// Another committee has the code already.
    case codeTaken

    public var field: Field {
        switch self {
        case .required(let field), .tooLong(let field, _), .controlCharacters(let field): field
        case .unknownCountry: .country
        case .noLanguage, .unknownLanguage: .languages
        case .invalidGoal: .goal
        case .invalidCode, .codeTaken: .code
        }
    }

    /// The key of the message that explains the problem, in the message catalogue.
    public var messageKey: String {
        switch self {
        case .required: "field_required"
        case .tooLong: "field_too_long"
        case .controlCharacters: "field_control_characters"
        case .unknownCountry: "field_country_unknown"
        case .noLanguage: "committee_language_required"
        case .unknownLanguage: "committee_language_unknown"
        case .invalidGoal: "committee_goal_invalid"
        case .invalidCode: "committee_code_invalid"
        case .codeTaken: "committee_code_taken"
        }
    }

    public var description: String {
        switch self {
        case .required(let field): "\(field.rawValue) is required"
        case .tooLong(let field, let maximum): "\(field.rawValue) is longer than \(maximum) characters"
        case .controlCharacters(let field): "\(field.rawValue) contains control characters"
        case .unknownCountry: "the country is not an ISO 3166-1 code"
        case .noLanguage: "at least one language is required"
        case .unknownLanguage: "a language is not one of en, hy, fr, ru"
        case .invalidGoal: "the goal must be a whole number from 1 to 100,000,000"
        case .invalidCode: "the code must be 3 to 32 letters, digits or inner hyphens"
        case .codeTaken: "another committee has this code"
        }
    }
}
