import Foundation
import SQLKit
import VigilCore

extension Store {
    /// Everything the database holds that content files describe, restricted facts included,
    /// for `vigil content export`: the campaign's name, the petitions with their current texts
    /// and latest tallies, the organisations, the sources and every record.
    public func exportContent() async throws -> CampaignContent {
        var petitions: [CampaignContent.PetitionFile] = []
        for slug in try await petitionSlugs() {
            guard let petition = try await petition(slug: slug) else { continue }
            var texts: [PetitionText] = []
            for language in petition.languages {
                if let text = try await currentText(petitionID: petition.id, language: language) { texts.append(text) }
            }
            petitions.append(
                CampaignContent.PetitionFile(
                    slug: petition.slug,
                    state: petition.state,
                    goal: petition.goal,
                    defaultLanguage: petition.defaultLanguage,
                    organisation: petition.organisation,
                    detainees: try await detaineeSlugs(petitionID: petition.id),
                    externalTallies: try await externalTallies(petitionID: petition.id),
                    texts: texts
                )
            )
        }
        var organisations: [CampaignContent.OrganisationFile] = []
        for row in try await reader.raw("SELECT slug, name, source FROM organisations ORDER BY slug").all() {
            let slug = try row.decode(column: "slug", as: String.self)
            organisations.append(
                CampaignContent.OrganisationFile(
                    slug: slug,
                    name: try row.decode(column: "name", as: String.self),
                    source: try row.decode(column: "source", as: String?.self),
                    members: try await memberCountries(ofOrganisation: slug)
                )
            )
        }
        let registry = try await fullRegistry()
        return CampaignContent(
            names: try await campaignNames(),
            petitions: petitions,
            sources: registry.sources,
            detainees: registry.detainees,
            organisations: organisations
        )
    }
}
