import VigilCore

/// A petition in a console form's list of petitions.
struct PetitionOption {
    let slug: String
    let title: String
    var selected = false
}

extension VigilServices {
    /// Every petition, drafts included, by its title in the console's language.
    func petitionOptions(selected: String? = nil) async throws -> [PetitionOption] {
        var options: [PetitionOption] = []
        for slug in try await store.petitionSlugs() {
            let title = try await directory.content(slug: slug)?.text(.fallback)?.title ?? slug
            options.append(PetitionOption(slug: slug, title: title, selected: slug == selected))
        }
        return options
    }
}
