import VigilCore

/// The personal part of a signature, sealed as one encrypted blob in the database.
struct SignerDetails: Codable, Sendable, Equatable, FlatJSONObject {
    var name: String
    var email: String
    var city: String?
    var comment: String?

    var jsonMembers: [(key: String, value: String?)] {
        [(CodingKeys.name.stringValue, name), (CodingKeys.email.stringValue, email),
         (CodingKeys.city.stringValue, city), (CodingKeys.comment.stringValue, comment)]
    }
}
