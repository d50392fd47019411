import Foundation

/// What staff say about a partner site, checked: its name, its address and how to reach the
/// people who run it.
public struct PartnerDetails: Sendable, Equatable {
    public static let maximumLength = 200

    public let name: String
    /// The partner's site, `https://` only.
    public let website: String
    /// How staff reach the partner; never shown in public.
    public let contact: String
    /// Whether the partner confirms its signers' addresses itself, so that its signatures count
    /// without Vigil's confirmation e-mail.
    public let trusted: Bool

    public init(name: String, website: String, contact: String, trusted: Bool) {
        self.name = name
        self.website = website
        self.contact = contact
        self.trusted = trusted
    }

    /// Reads the console's partner form, throwing the first problem found.
    public static func checked(name: String, website: String, contact: String, trusted: Bool) throws(PartnerProblem) -> PartnerDetails {
        func text(_ value: String, _ field: PartnerProblem.Field) throws(PartnerProblem) -> String {
            let cleaned = SignatureForm.cleaned(value)
            guard !cleaned.isEmpty else { throw PartnerProblem(.required, field: field) }
            guard cleaned.count <= maximumLength else { throw PartnerProblem(.tooLong(maximum: maximumLength), field: field) }
            return cleaned
        }
        let name = try text(name, .name)
        let website = try text(website, .website)
        guard let url = URL(string: website), url.scheme == "https", url.host?.isEmpty == false else {
            throw PartnerProblem(.notHTTPS, field: .website)
        }
        return PartnerDetails(name: name, website: website, contact: try text(contact, .contact), trusted: trusted)
    }
}

/// Why a partner could not be saved.
public struct PartnerProblem: Error, Sendable, Equatable {
    public enum Field: String, Sendable, CaseIterable {
        case name, website, contact
    }

    public enum Kind: Sendable, Equatable {
        case required
        case tooLong(maximum: Int)
        case notHTTPS
        case nameTaken
    }

    public let kind: Kind
    public let field: Field

    public init(_ kind: Kind, field: Field) {
        self.kind = kind
        self.field = field
    }

    /// The key of the problem's text in the message catalogues.
    public var messageKey: String {
        switch kind {
        case .required: "partner_problem_required"
        case .tooLong: "partner_problem_too_long"
        case .notHTTPS: "partner_problem_not_https"
        case .nameTaken: "partner_problem_name_taken"
        }
    }
}
