import Foundation
import HTTPTypes
import Hummingbird
import VigilCore
import VigilStore

/// Partner sites push the signatures their own forms collected, in the shape of OSDI's record
/// signature helper, each partner with its own token. A partner's signers confirm by e-mail
/// like any other unless staff marked the partner as trusted. Described in openapi.yaml.
struct PartnerAPIController {
    let services: VigilServices

    /// A signature in JSON is a few hundred bytes; tags and referrer data leave room to spare.
    static let maximumBodyBytes = 16 * 1024
    /// Tags a push may carry, and their longest length.
    static let maximumTags = 20
    static let maximumTagLength = 64

    func addRoutes(to router: some RouterMethods<VigilRequestContext>) {
        router.post("/api/v1/petitions/{slug}/signatures", use: record)
    }

    /// OSDI's signature helper body, as far as Vigil reads it; other fields are ignored.
    struct Push: Decodable {
        struct Person: Decodable {
            struct EmailAddress: Decodable { let address: String? }
            struct PostalAddress: Decodable {
                let country: String?
                let locality: String?
            }

            let given_name: String?
            let family_name: String?
            let email_addresses: [EmailAddress]?
            let postal_addresses: [PostalAddress]?
            let languages_spoken: [String]?
        }

        struct ReferrerData: Decodable {
            let source: String?
            let referrer: String?
        }

        let person: Person?
        let add_tags: [String]?
        let referrer_data: ReferrerData?
    }

    struct Recorded: Encodable {
        struct Links: Encodable {
            struct Link: Encodable { let href: String }
            let osdiPetition: Link

            enum CodingKeys: String, CodingKey { case osdiPetition = "osdi:petition" }
        }

        let origin_system = "Vigil"
        let action_date: String
        /// `counted`, or `pending_confirmation` until the signer follows the e-mailed link.
        let status: String
        let _links: Links
    }

    @Sendable func record(request: Request, context: VigilRequestContext) async throws -> Response {
        let partner = try await authenticatedPartner(request)
        let content = try await services.apiContent(slug: context.parameters.require("slug"))
        let petition = content.petition
        let body = try await request.body.collect(upTo: Self.maximumBodyBytes)
        let push: Push
        do {
            push = try JSONDecoder().decode(Push.self, from: body)
        } catch {
            throw APIProblem(status: .badRequest, detail: "the body is not an OSDI signature in JSON")
        }
        guard petition.state.acceptsSignatures else {
            throw APIProblem(status: .conflict, detail: "the petition '\(petition.slug)' does not take signatures now")
        }
        let person = push.person
        let form = SignatureForm(
            name: [person?.given_name, person?.family_name].compactMap { $0?.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }.joined(separator: " "),
            email: person?.email_addresses?.first?.address ?? "",
            country: person?.postal_addresses?.first?.country ?? "",
            city: person?.postal_addresses?.first?.locality ?? ""
        )
        let signature: ValidSignature
        switch form.validated() {
        case .success(let valid): signature = valid
        case .failure(let problems): throw APIProblem(status: .unprocessableContent, detail: Self.describe(problems))
        }
        let tags = try Self.tags(push)
        let language = person?.languages_spoken?.lazy.compactMap(Language.init(rawValue:)).first { petition.languages.contains($0) }
            ?? petition.defaultLanguage
        guard let textHash = content.textHash(language) else { throw APIProblem(status: .conflict, detail: "the petition has no text") }
        // A committee's code as the referrer credits that committee, as its referral link would.
        let committee = push.referrer_data?.referrer.flatMap(services.committees.committee(code:)).flatMap {
            $0.petitionID == petition.id ? $0 : nil
        }
        let outcome = try await services.store.signatureWriter.sign(
            SigningRequest(
                petitionID: petition.id, signature: signature, language: language, textHash: textHash, committeeID: committee?.id,
                channel: .partner, partnerID: partner.id, partnerTags: tags, countsAtOnce: partner.details.trusted
            )
        )
        // The partner learns nothing it did not send: not whether the address had signed before.
        let counted: Bool
        switch outcome {
        case .counted, .alreadySignedNoticeQueued: counted = partner.details.trusted
        default: counted = false
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let document = Recorded(
            action_date: services.now().formatted(.iso8601),
            status: counted ? "counted" : "pending_confirmation",
            _links: .init(osdiPetition: .init(href: "\(services.configuration.publicURL)/petitions/\(petition.slug).json"))
        )
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(
            status: counted ? .created : .accepted, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(document)))
        )
    }

    /// The partner whose token the request carries, in OSDI's `OSDI-API-Token` header or as a
    /// bearer token; a missing, unknown or revoked token is refused alike.
    private func authenticatedPartner(_ request: Request) async throws -> Partner {
        let bearer = request.headers[.authorization].flatMap { value -> Substring? in
            value.lowercased().hasPrefix("bearer ") ? value.dropFirst("bearer ".count) : nil
        }
        guard let text = request.headers[Self.osdiTokenHeader].map({ Substring($0) }) ?? bearer,
              let token = PartnerToken(header: text),
              let partner = try await services.store.partner(token: token)
        else {
            throw APIProblem(status: .unauthorized, detail: "a partner token that is current is needed in the OSDI-API-Token header")
        }
        return partner
    }

    static let osdiTokenHeader = HTTPField.Name("OSDI-API-Token")!

    private static func tags(_ push: Push) throws -> [String] {
        var tags = push.add_tags ?? []
        if let source = push.referrer_data?.source, !source.isEmpty { tags.append("source:" + source) }
        guard tags.count <= maximumTags else { throw APIProblem(status: .unprocessableContent, detail: "add_tags: at most \(maximumTags) tags") }
        for tag in tags {
            guard !tag.isEmpty, tag.count <= maximumTagLength, !tag.contains(","),
                  tag.unicodeScalars.allSatisfy({ !CharacterSet.controlCharacters.contains($0) })
            else {
                throw APIProblem(
                    status: .unprocessableContent,
                    detail: "add_tags: each tag is 1 to \(maximumTagLength) characters without commas or control characters"
                )
            }
        }
        return tags
    }

    /// The problems of the pushed fields, in the OSDI names a partner's developer knows.
    private static func describe(_ problems: SignatureFormProblems) -> String {
        let names: [SignatureField: String] = [
            .name: "person.given_name and family_name", .email: "person.email_addresses[0].address",
            .country: "person.postal_addresses[0].country", .city: "person.postal_addresses[0].locality", .comment: "comments",
        ]
        return problems.byField.sorted { $0.key.rawValue < $1.key.rawValue }.map { field, problem in
            "\(names[field] ?? field.rawValue): \(Self.explain(problem))"
        }.joined(separator: "; ")
    }

    private static func explain(_ problem: FieldProblem) -> String {
        switch problem {
        case .required: "required"
        case .tooLong(let maximum): "longer than \(maximum) characters"
        case .malformedEmail: "not an e-mail address"
        case .unknownCountry: "not an ISO 3166-1 alpha-2 country code"
        case .unreadableText: "unreadable text"
        case .controlCharacters: "holds control characters"
        }
    }
}
