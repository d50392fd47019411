/// The personal part of a signature, sealed as one encrypted blob in the database.
struct SignerDetails: Codable, Sendable {
    var name: String
    var email: String
    var city: String?
    var comment: String?
}
