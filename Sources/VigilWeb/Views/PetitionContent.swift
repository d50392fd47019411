import VigilCore
import VigilStore

/// Everything about a petition that changes only when staff edit it: texts, tallies, people,
/// and the countries listed first. Read from the store once and kept in memory, so a page
/// view costs no query.
struct PetitionContent: Sendable {
    let petition: Petition
    let texts: [Language: PetitionText]
    /// Each text's ``PetitionText/versionHash``, worked out once: it hashes the whole text, and
    /// every signature records it.
    let textHashes: [Language: String]
    let externalTallies: [ExternalTally]
    /// The people the petition is about, as the public may see them.
    let detainees: [PublicDetainee]
    let organisationName: String?
    /// The addressed organisation's member states, listed first in the country menu.
    let priorityCountries: [Country]

    /// The text in a language, or in the petition's default language.
    func text(_ language: Language) -> PetitionText? {
        texts[language] ?? texts[petition.defaultLanguage]
    }

    /// The hash of the text ``text(_:)`` gives for a language.
    func textHash(_ language: Language) -> String? {
        textHashes[language] ?? textHashes[petition.defaultLanguage]
    }
}

/// The petitions' content, loaded on first use and again whenever staff change it (the
/// petition's content version moves).
final class PetitionDirectory: Sendable {
    private let store: Store
    private let registry: Locked<RegistryDirectory>
    private let loaded = Locked<[String: (content: PetitionContent, version: Int64)]>([:])

    init(store: Store, registry: RegistryDirectory) {
        self.store = store
        self.registry = Locked(registry)
    }

    /// Builds petitions from a newly loaded registry from now on, forgetting those built before.
    func use(_ registry: RegistryDirectory) {
        self.registry.withLock { $0 = registry }
        loaded.withLock { $0.removeAll() }
    }

    /// The content of a petition, or `nil` if there is no petition with that slug.
    func content(slug: String) async throws -> PetitionContent? {
        if let cached = loaded.withLock({ $0[slug] }),
           cached.version == store.liveCounts.counts(forPetition: cached.content.petition.id).contentVersion {
            return cached.content
        }
        guard let petition = try await store.petition(slug: slug) else { return nil }
        let version = store.liveCounts.counts(forPetition: petition.id).contentVersion
        var texts: [Language: PetitionText] = [:]
        for language in petition.languages {
            texts[language] = try await store.currentText(petitionID: petition.id, language: language)
        }
        let organisation = petition.organisation
        let content = PetitionContent(
            petition: petition,
            texts: texts,
            textHashes: texts.mapValues(\.versionHash),
            externalTallies: try await store.externalTallies(petitionID: petition.id),
            detainees: registry.withLock { $0 }.detainees(slugs: try await store.detaineeSlugs(petitionID: petition.id)),
            organisationName: try await organisation.asyncMap { try await store.organisationName($0) } ?? nil,
            priorityCountries: try await organisation.asyncMap { try await store.memberCountries(ofOrganisation: $0) } ?? []
        )
        loaded.withLock { $0[slug] = (content, version) }
        return content
    }

    /// The content of a petition the public may see: `nil` for drafts and unknown slugs.
    func publicContent(slug: String) async throws -> PetitionContent? {
        guard let content = try await content(slug: slug), content.petition.state.isPublic else { return nil }
        return content
    }

    /// The slug of the petition the home page leads to: the first the public may see.
    func defaultSlug() async throws -> String? {
        for slug in try await store.petitionSlugs() {
            if try await publicContent(slug: slug) != nil { return slug }
        }
        return nil
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
