import VigilCore
import VigilStore

/// The public registry, read from the store once at start-up (like the petitions' content),
/// with its name search. It holds a ``PublicRegistry`` only, so nothing restricted is in
/// memory for a page, an export, the API or a search to reach.
struct RegistryDirectory: Sendable {
    let registry: PublicRegistry
    private let index: NameIndex<String>

    init(registry: PublicRegistry) {
        self.registry = registry
        index = NameIndex(registry.detainees.map { (id: $0.record.slug, names: $0.record.names.map(\.text)) })
    }

    static func load(store: Store) async throws -> RegistryDirectory {
        RegistryDirectory(registry: try await store.publicRegistry())
    }

    var detainees: [PublicDetainee] { registry.detainees }

    func detainee(slug: String) -> PublicDetainee? {
        registry.detainee(slug: slug)
    }

    /// The people whose names match the query, best first.
    func search(_ query: String) -> [PublicDetainee] {
        index.search(query).compactMap(detainee(slug:))
    }

    /// The public records among these slugs, in the slugs' order.
    func detainees(slugs: [String]) -> [PublicDetainee] {
        slugs.compactMap(detainee(slug:))
    }
}
