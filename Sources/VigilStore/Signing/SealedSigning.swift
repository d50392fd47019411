import Foundation
import VigilCore

/// A signing request with everything the writer stores in sealed or hashed form worked out:
/// the signer's details encrypted, the address's blind index, the confirmation token and the
/// e-mail that carries it, the management token and the domain's index. Only what is written
/// comes from the database.
struct SealedSigning: Sendable {
    let request: SigningRequest
    /// Finds earlier signatures from the same address without storing the address.
    let emailIndex: String
    /// Name, address, city and comment, encrypted.
    let details: Data
    /// The link's token, sent in the confirmation e-mail if one goes out.
    let token: ConfirmationToken
    let manageToken: String
    let manageTokenHash: String
    let domainIndex: String
    /// When the token stops working, in milliseconds since 1970.
    let expiresAt: Int64
    /// The e-mail asking to confirm, for a signature that is neither held nor counted at once.
    let confirmationMail: SealedMail?

    init(
        _ request: SigningRequest, settings: SigningSettings, cipher: PersonalDataCipher, random: any RandomSource, now: Date
    ) throws {
        let signature = request.signature
        self.request = request
        emailIndex = cipher.blindIndex(ofNormalisedEmail: signature.email.normalised)
        details = Data(try cipher.seal(json: SignerDetails(
            name: signature.name, email: signature.email.address, city: signature.city, comment: signature.comment
        )))
        token = ConfirmationToken(random: random, issuedAt: now)
        manageToken = cipher.manageToken(petitionID: request.petitionID, emailIndex: emailIndex)
        manageTokenHash = PersonalDataCipher.hash(manageToken: manageToken)
        domainIndex = cipher.domainIndex(of: signature.email.domain)
        expiresAt = now.addingTimeInterval(Double(settings.confirmationLifetime.components.seconds)).storedMilliseconds
        confirmationMail = request.hold != nil || request.countsAtOnce ? nil : try QueuedMail(
            kind: .confirmSignature,
            language: request.language.rawValue,
            recipient: signature.email.address,
            fields: [
                "name": signature.name,
                "petition_id": String(request.petitionID),
                "token": token.text,
                "expires_at": String(expiresAt),
                "manage": manageToken,
            ],
            signer: MailSigner(petitionID: request.petitionID, emailIndex: emailIndex)
        ).sealed(cipher: cipher, random: random, queuedAt: now.storedMilliseconds)
    }
}
