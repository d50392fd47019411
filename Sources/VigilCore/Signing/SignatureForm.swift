import Foundation

/// What a signer typed into the sign form, before any check.
///
/// Every field is kept exactly as received so that a refused form can be shown again with
/// the person's own text in it.
public struct SignatureForm: Sendable, Equatable {
    public var name: String
    public var email: String
    public var country: String
    public var city: String
    public var comment: String
    public var showNamePublicly: Bool
    public var keepInformed: Bool

    public init(
        name: String = "",
        email: String = "",
        country: String = "",
        city: String = "",
        comment: String = "",
        showNamePublicly: Bool = false,
        keepInformed: Bool = false
    ) {
        self.name = name
        self.email = email
        self.country = country
        self.city = city
        self.comment = comment
        self.showNamePublicly = showNamePublicly
        self.keepInformed = keepInformed
    }
}

/// A field of the sign form, named as in the HTML form.
public enum SignatureField: String, Sendable, CaseIterable, Hashable {
    case name, email, country, city, comment
}

/// Why one field of the sign form was refused.
public enum FieldProblem: Sendable, Equatable {
    case required
    case tooLong(maximum: Int)
    case malformedEmail
    case unknownCountry
    case unreadableText
    case controlCharacters

    /// The key of the message that explains the problem, in the message catalogue.
    public var messageKey: String {
        switch self {
        case .required: "field_required"
        case .tooLong: "field_too_long"
        case .malformedEmail: "field_email_malformed"
        case .unknownCountry: "field_country_unknown"
        case .unreadableText: "field_unreadable"
        case .controlCharacters: "field_control_characters"
        }
    }
}

/// The problems found in a sign form, by field. Empty means the form can be signed.
public struct SignatureFormProblems: Error, Sendable, Equatable {
    public var byField: [SignatureField: FieldProblem]

    public init(_ byField: [SignatureField: FieldProblem] = [:]) {
        self.byField = byField
    }

    public var isEmpty: Bool { byField.isEmpty }

    public subscript(field: SignatureField) -> FieldProblem? {
        get { byField[field] }
        set { byField[field] = newValue }
    }
}
