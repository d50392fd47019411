import Foundation
import Hummingbird
import VigilCore
import VigilStore

/// Open data about a petition as JSON, shaped like the UK Parliament petitions API so that
/// existing tools can read it. Described in openapi.yaml.
struct PetitionAPIController {
    let services: VigilServices
    /// Every document here is named by its `ETag`, so it is encoded once per change.
    let documents = APIDocumentCache()

    func addRoutes(to router: some RouterMethods<VigilRequestContext>) {
        router.get("/petitions/{slug}.json", use: petition)
        router.get("/petitions/{slug}/count.json", use: count)
        router.get("/petitions/{slug}/committees.json", use: committees)
    }

    /// The committees that agreed to be shown, with the confirmed signatures credited to each
    /// and their referral links, most signatures first: the petition page's league as data.
    @Sendable func committees(request: Request, context: VigilRequestContext) async throws -> Response {
        let content = try await services.apiContent(slug: context.parameters.require("slug"))
        let counts = services.store.liveCounts.counts(forPetition: content.petition.id)
        let etag = "W/\"\(counts.version)-\(services.committees.version)\""
        if let notModified = APIResponse.notModified(request, etag: etag) { return notModified }
        return try documents.response("committees:\(content.petition.slug)", etag: etag) {
            let league = services.committees.league(petitionID: content.petition.id, counts: counts)
            return CommitteesDocument(
                slug: content.petition.slug,
                credited_signature_count: league.reduce(0) { $0 + $1.signatures },
                committees: league.map { committee, signatures in
                    .init(
                        code: committee.code.text,
                        name: committee.details.name,
                        city: committee.details.city,
                        country: committee.details.country.code,
                        languages: committee.details.languages.map(\.tag),
                        goal: committee.details.goal,
                        signature_count: signatures,
                        referral_url: services.configuration.publicURL + committee.code.referralPath
                    )
                }
            )
        }
    }

    /// The whole petition: its text, state, goal, external tallies and signatures by country.
    @Sendable func petition(request: Request, context: VigilRequestContext) async throws -> Response {
        let content = try await services.apiContent(slug: context.parameters.require("slug"))
        let petition = content.petition
        let language = Language.chosen(for: request, context: context, offered: petition.languages, default: petition.defaultLanguage)
        let counts = services.store.liveCounts.counts(forPetition: petition.id)
        let etag = "W/\"\(counts.version)-\(language.tag)\""
        if let notModified = APIResponse.notModified(request, etag: etag) { return notModified }
        guard let text = content.text(language), let textHash = content.textHash(language) else {
            throw APIProblem(status: .notFound, detail: "no text in \(language.tag)")
        }
        let base = services.configuration.publicURL
        let selfURL = "\(base)/petitions/\(petition.slug).json"
        return try documents.response("petition:\(petition.slug):\(language.tag)", etag: etag) {
            let progress = PetitionProgress(goal: petition.goal, confirmedHere: counts.confirmed, externalTallies: content.externalTallies)
            let channels = ChannelCounts(counts)
            return PetitionDocument(
                links: .init(self: selfURL),
                data: .init(
                    type: "petition",
                    id: petition.id,
                    links: .init(self: selfURL),
                    attributes: .init(
                        slug: petition.slug,
                        language: language.tag,
                        action: text.title,
                        background: text.summary,
                        additional_details: text.action.joined(separator: "\n\n"),
                        addressees: text.addressees,
                        text_hash: textHash,
                        state: petition.state.rawValue,
                        goal: petition.goal,
                        signature_count: counts.confirmed,
                        online_signature_count: channels.online,
                        paper_signature_count: channels.paper,
                        partner_signature_count: channels.partner,
                        external_signature_count: progress.collectedElsewhere,
                        total_signature_count: progress.total,
                        external_tallies: content.externalTallies.map {
                            .init(
                                source: $0.sourceName,
                                url: $0.sourceURL,
                                signature_count: $0.count,
                                counted_on: $0.countedOn.map(Self.day),
                                recorded_on: Self.day($0.recordedOn),
                                note: $0.note
                            )
                        },
                        signatures_by_country: counts.byCountry
                            .compactMap { code, count in
                                Country(code: code).map { .init(name: $0.name(in: language), code: code, signature_count: count) }
                            }
                            .sorted { ($0.signature_count, $1.code) > ($1.signature_count, $0.code) },
                        url: "\(base)/petitions/\(petition.slug)"
                    )
                )
            )
        }
    }

    /// Just the numbers, for counters on other sites and the page's own refresh.
    @Sendable func count(request: Request, context: VigilRequestContext) async throws -> Response {
        let content = try await services.apiContent(slug: context.parameters.require("slug"))
        let counts = services.store.liveCounts.counts(forPetition: content.petition.id)
        let etag = "W/\"\(counts.version)\""
        if let notModified = APIResponse.notModified(request, etag: etag) { return notModified }
        return try documents.response("count:\(content.petition.slug)", etag: etag) {
            let progress = PetitionProgress(
                goal: content.petition.goal, confirmedHere: counts.confirmed, externalTallies: content.externalTallies
            )
            let channels = ChannelCounts(counts)
            return CountDocument(
                slug: content.petition.slug,
                signature_count: counts.confirmed,
                online_signature_count: channels.online,
                paper_signature_count: channels.paper,
                partner_signature_count: channels.partner,
                external_signature_count: progress.collectedElsewhere,
                total_signature_count: progress.total,
                goal: progress.goal,
                percent_of_goal: progress.percentOfGoal
            )
        }
    }

    static func day(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC") ?? .current).year().month().day())
    }
}

extension VigilServices {
    /// The petition's content, or a JSON 404.
    func apiContent(slug: String) async throws -> PetitionContent {
        guard let content = try await directory.publicContent(slug: slug) else {
            throw APIProblem(status: .notFound, detail: "there is no petition '\(slug)'")
        }
        return content
    }
}

// The field names below are the API's, as the UK petitions API spells them.

struct PetitionDocument: Encodable {
    struct Links: Encodable { let `self`: String }

    struct Data: Encodable {
        let type: String
        let id: Int64
        let links: Links
        let attributes: Attributes
    }

    struct Attributes: Encodable {
        let slug: String
        let language: String
        let action: String
        let background: String
        let additional_details: String
        let addressees: [String]
        let text_hash: String
        let state: String
        let goal: Int
        let signature_count: Int
        let online_signature_count: Int
        let paper_signature_count: Int
        let partner_signature_count: Int
        let external_signature_count: Int
        let total_signature_count: Int
        let external_tallies: [Tally]
        let signatures_by_country: [CountryCount]
        let url: String
    }

    struct Tally: Encodable {
        let source: String
        let url: String?
        let signature_count: Int
        let counted_on: String?
        let recorded_on: String
        let note: String?
    }

    struct CountryCount: Encodable {
        let name: String
        let code: String
        let signature_count: Int
    }

    let links: Links
    let data: Data
}

struct CommitteesDocument: Encodable {
    struct Committee: Encodable {
        let code: String
        let name: String
        let city: String
        let country: String
        let languages: [String]
        let goal: Int?
        let signature_count: Int
        let referral_url: String
    }

    let slug: String
    /// Confirmed signatures credited to the committees listed.
    let credited_signature_count: Int
    let committees: [Committee]
}

struct CountDocument: Encodable {
    let slug: String
    let signature_count: Int
    let online_signature_count: Int
    let paper_signature_count: Int
    let partner_signature_count: Int
    let external_signature_count: Int
    let total_signature_count: Int
    let goal: Int
    let percent_of_goal: Int
}
