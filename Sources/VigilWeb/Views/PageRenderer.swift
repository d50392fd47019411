import Crypto
import Foundation
import Mustache
import VigilCore

/// Renders pages from the Mustache templates in `Resources/templates`, with the interface's
/// texts from `Resources/messages/<language>.json`.
///
/// Mustache escapes every `{{value}}` for HTML, so text typed by signers or staff can never
/// become markup. Templates use no triple braces.
struct PageRenderer: Sendable {
    let catalogue: MessageCatalogue
    let assets: StaticAssets
    /// The campaign's name by language, shown at the top of every page.
    let campaignNames: [Language: String]
    /// The languages the interface is translated into: pages that belong to no petition are
    /// offered in these only, so a page never claims a language it is not written in.
    let languages: [Language]
    /// The site's public address, without a trailing slash, for the absolute links that
    /// search engines want in `hreflang` alternates.
    let publicURL: String
    private let library: MustacheLibrary

    /// Why a page could not be rendered; a bug in Vigil, never the visitor's fault.
    struct Problem: Error, CustomStringConvertible {
        let description: String
    }

    static func load(campaignNames: [Language: String], publicURL: String) async throws -> PageRenderer {
        let resources = webResources
        let templates = resources.appendingPathComponent("templates")
        guard FileManager.default.fileExists(atPath: templates.path) else {
            throw Problem(description: "the page templates are missing from the build at \(templates.path)")
        }
        let library = try await MustacheLibrary(directory: templates.path)
        var files: [Language: Data] = [:]
        for language in Language.allCases {
            let url = resources.appendingPathComponent("messages/\(language.rawValue).json")
            if let data = try? Data(contentsOf: url) { files[language] = data }
        }
        guard files[.fallback] != nil else { throw Problem(description: "messages/en.json is missing") }
        return PageRenderer(
            catalogue: try MessageCatalogue(json: files),
            assets: try StaticAssets(folder: resources.appendingPathComponent("public")),
            campaignNames: campaignNames,
            languages: Language.allCases.filter { files[$0] != nil },
            publicURL: publicURL,
            library: library
        )
    }

    /// The web target's resource folder. Built from `bundleURL`, because Foundation on Linux
    /// treats a folder named `Resources` inside a bundle specially in `resourceURL`.
    static var webResources: URL {
        Bundle.module.bundleURL.appendingPathComponent("Resources")
    }

    /// Renders a template with a model whose stored properties the template names.
    func render(_ template: String, _ model: Any) throws -> String {
        guard let output = library.render(model, withTemplate: template) else {
            throw Problem(description: "no template named \(template)")
        }
        return output
    }

    /// Whether a template exists, for pages written out per language.
    func hasTemplate(_ name: String) -> Bool {
        library.getTemplate(named: name) != nil
    }

    /// The interface texts of a language, for `{{t.key}}` in templates.
    func texts(_ language: Language) -> [String: String] {
        catalogue.texts(in: language)
    }

    /// The frame every page shares: language, title, stylesheet and language links.
    ///
    /// `path` is the page's path without a language prefix; each language's link puts its own
    /// prefix in front, and the unprefixed path is the `x-default` alternate.
    func layout(
        language: Language,
        title: String,
        description: String? = nil,
        path: String,
        offered: [Language] = [.fallback],
        countURL: String? = nil
    ) -> Layout {
        Layout(
            lang: language.tag,
            siteName: campaignNames[language] ?? campaignNames[.fallback] ?? "Vigil",
            title: title,
            description: description,
            stylesheet: assets.url(of: "vigil.css"),
            icon: assets.url(of: "icon.svg"),
            script: assets.url(of: "vigil.js"),
            countURL: countURL,
            showLanguages: offered.count > 1,
            languages: offered.count > 1
                ? offered.map { Layout.LanguageLink(name: $0.nativeName, tag: $0.tag, href: $0.path(path), current: $0 == language) }
                : [],
            alternates: offered.count > 1
                ? offered.map { Layout.Alternate(hreflang: $0.tag, href: publicURL + $0.path(path)) }
                    + [Layout.Alternate(hreflang: "x-default", href: publicURL + path)]
                : []
        )
    }
}

/// What the shared layout template needs.
struct Layout {
    struct LanguageLink {
        let name: String
        let tag: String
        let href: String
        let current: Bool
    }

    /// A `<link rel="alternate" hreflang>` to the same page in another language.
    struct Alternate {
        let hreflang: String
        let href: String
    }

    let lang: String
    let siteName: String
    let title: String
    let description: String?
    let stylesheet: String
    /// Named so that browsers do not ask for a `/favicon.ico` the site does not have.
    let icon: String
    let script: String
    /// The JSON count the page's script refreshes from, on pages that show a count.
    let countURL: String?
    let showLanguages: Bool
    let languages: [LanguageLink]
    let alternates: [Alternate]
}
