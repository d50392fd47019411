/// How addresses are reduced before duplicate checks, kept as data so a campaign can extend it.
///
/// The aim is that one mailbox counts once: `Jane.Doe+osce@googlemail.com` and
/// `janedoe@gmail.com` reach the same inbox and so are the same signer.
public struct EmailNormalisationRules: Sendable {
    /// What one mail provider ignores in the addresses it hosts.
    public struct Provider: Sendable {
        /// Every domain the provider answers for; the first is the canonical one.
        public var domains: [String]
        /// Whether dots in the local part are ignored (`j.doe` is `jdoe`).
        public var ignoresDots: Bool
        /// The character that starts a sub-address tag, or `nil` if the provider has none.
        public var tagSeparator: Character?

        public init(domains: [String], ignoresDots: Bool, tagSeparator: Character?) {
            self.domains = domains
            self.ignoresDots = ignoresDots
            self.tagSeparator = tagSeparator
        }
    }

    /// Providers with rules of their own.
    public var providers: [Provider]
    /// The tag separator assumed for every other domain; `+` is near universal.
    public var defaultTagSeparator: Character?

    public init(providers: [Provider], defaultTagSeparator: Character?) {
        self.providers = providers
        self.defaultTagSeparator = defaultTagSeparator
    }

    /// The rules Vigil ships with.
    public static let standard = EmailNormalisationRules(
        providers: [
            Provider(domains: ["gmail.com", "googlemail.com"], ignoresDots: true, tagSeparator: "+"),
            Provider(
                domains: ["yandex.ru", "yandex.com", "ya.ru", "yandex.by", "yandex.kz", "yandex.ua"],
                ignoresDots: false,
                tagSeparator: "+"
            ),
        ],
        defaultTagSeparator: "+"
    )

    /// Reduces an already lower-cased local part and ASCII domain to the duplicate key.
    public func normalise(localPart: String, domain: String) -> String {
        let provider = providers.first { $0.domains.contains(domain) }
        var local = Substring(localPart)
        if let separator = provider?.tagSeparator ?? (provider == nil ? defaultTagSeparator : nil),
           let tagStart = local.firstIndex(of: separator), tagStart != local.startIndex {
            local = local[..<tagStart]
        }
        var reduced = String(local)
        if provider?.ignoresDots == true {
            reduced.removeAll { $0 == "." }
        }
        return reduced + "@" + (provider?.domains.first ?? domain)
    }
}
