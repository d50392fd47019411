import Foundation
import VigilCore
import Yams

/// A campaign as data files: petitions with their texts, the people they are about with the
/// sources of every fact, and the organisations they address. This is what `Content/` holds
/// and what Vigil loads on first start.
public struct CampaignContent: Sendable {
    /// The campaign's name by language, from `campaign.yaml`.
    public var names: [Language: String]
    public var petitions: [PetitionFile]
    /// The sources facts are cited to, from `sources.yaml`.
    public var sources: [Source]
    /// The people the campaign is about, from `detainees/<slug>.yaml`, in the campaign's order.
    public var detainees: [Detainee]
    public var organisations: [OrganisationFile]

    /// The registry part of the content: sources and people.
    public var registry: Registry { Registry(sources: sources, detainees: detainees) }

    /// `petitions/<slug>/petition.yaml`, with the texts found beside it as `text.<language>.yaml`.
    public struct PetitionFile: Sendable {
        public var slug: String
        public var state: Petition.State
        public var goal: Int
        public var defaultLanguage: Language
        public var organisation: String?
        /// Slugs of the detainees the petition is about; `nil` means all of them.
        public var detainees: [String]?
        public var externalTallies: [ExternalTally]
        public var texts: [PetitionText]
    }

    /// `organisations/<slug>.yaml`.
    public struct OrganisationFile: Sendable {
        public var slug: String
        public var name: String
        public var source: String?
        /// ISO 3166-1 alpha-2 codes of the member or participating states.
        public var members: [Country]
    }
}

// MARK: - Reading the files

extension CampaignContent {
    /// Reads and checks every content file under `directory`. Errors name the file and the field.
    public static func load(from directory: URL) throws -> CampaignContent {
        let files = FileManager.default
        guard files.fileExists(atPath: directory.path) else {
            throw StoreError.content(file: directory.path, problem: "the content folder does not exist")
        }
        let petitionsFolder = directory.appendingPathComponent("petitions")
        let petitionSlugs = try subfolders(of: petitionsFolder)
        var petitions: [PetitionFile] = []
        for slug in petitionSlugs {
            petitions.append(try loadPetition(in: petitionsFolder.appendingPathComponent(slug), relativeTo: directory))
        }
        let sourcesFile = directory.appendingPathComponent("sources.yaml")
        let sources = FileManager.default.fileExists(atPath: sourcesFile.path)
            ? try decode(SourcesFile.self, from: sourcesFile, named: "sources.yaml").checked(file: "sources.yaml")
            : []
        let sourcesByKey = Dictionary(sources.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        let detainees = try yamlFiles(in: directory.appendingPathComponent("detainees")).map { url in
            let file = relative(url, to: directory)
            return try decode(DetaineeFile.self, from: url, named: file).detainee(check: ContentCheck(file: file, sources: sourcesByKey))
        }.sorted { $0.position < $1.position }
        let organisations = try yamlFiles(in: directory.appendingPathComponent("organisations")).map {
            try loadOrganisation($0, relativeTo: directory)
        }
        let campaignFile = directory.appendingPathComponent("campaign.yaml")
        let campaign = try decode(RawCampaign.self, from: campaignFile, named: relative(campaignFile, to: directory))
        var names: [Language: String] = [:]
        for (tag, name) in campaign.name {
            guard let language = Language(rawValue: tag) else {
                throw StoreError.content(file: "campaign.yaml", problem: "name.\(tag): not a supported language")
            }
            names[language] = name
        }
        guard names[.fallback] != nil else {
            throw StoreError.content(file: "campaign.yaml", problem: "name.en: missing; English is the fallback language")
        }
        let content = CampaignContent(
            names: names, petitions: petitions, sources: sources, detainees: detainees, organisations: organisations
        )
        try content.checkReferences()
        return content
    }

    private func checkReferences() throws {
        let detaineeSlugs = Set(detainees.map(\.slug))
        let organisationSlugs = Set(organisations.map(\.slug))
        for petition in petitions {
            let file = "petitions/\(petition.slug)/petition.yaml"
            for slug in petition.detainees ?? [] where !detaineeSlugs.contains(slug) {
                throw StoreError.content(file: file, problem: "detainees: no file detainees/\(slug).yaml")
            }
            if let organisation = petition.organisation, !organisationSlugs.contains(organisation) {
                throw StoreError.content(file: file, problem: "organisation: no file organisations/\(organisation).yaml")
            }
        }
        var seen = Set<String>()
        for detainee in detainees where !seen.insert(detainee.slug).inserted {
            throw StoreError.content(file: "detainees/\(detainee.slug).yaml", problem: "slug is used twice")
        }
    }

    struct RawCampaign: Codable {
        var name: [String: String]
    }

    struct RawPetition: Codable {
        var slug: String
        var state: String
        var goal: Int
        var default_language: String
        var organisation: String?
        var detainees: [String]?
        var external_tallies: [RawTally]?
    }

    struct RawTally: Codable {
        var source: String
        var url: String?
        var count: Int
        var counted_on: String?
        var recorded_on: String
        var note: String?
    }

    struct RawText: Codable {
        var title: String
        var summary: String
        var addressees: [String]
        var action: [String]
        var background: [String]
        var explainer_title: String
        var explainer: [String]
        var sources: [PetitionText.Source]?
    }

    struct RawOrganisation: Codable {
        var slug: String
        var name: String
        var source: String?
        var members: [RawMember]
    }

    struct RawMember: Codable {
        var code: String
        var name: String?
    }

    private static func loadPetition(in folder: URL, relativeTo root: URL) throws -> PetitionFile {
        let fileURL = folder.appendingPathComponent("petition.yaml")
        let file = relative(fileURL, to: root)
        let raw = try decode(RawPetition.self, from: fileURL, named: file)
        guard let state = Petition.State(rawValue: raw.state) else {
            throw StoreError.content(file: file, problem: "state: '\(raw.state)' is not one of draft, open, closed, delivered")
        }
        guard raw.goal > 0 else { throw StoreError.content(file: file, problem: "goal: must be a positive number") }
        guard let defaultLanguage = Language(rawValue: raw.default_language) else {
            throw StoreError.content(file: file, problem: "default_language: '\(raw.default_language)' is not a supported language")
        }
        guard raw.slug == folder.lastPathComponent else {
            throw StoreError.content(file: file, problem: "slug: '\(raw.slug)' differs from the folder name")
        }
        let tallies = try (raw.external_tallies ?? []).enumerated().map { index, tally in
            let field = "external_tallies[\(index)]"
            guard tally.count >= 0 else { throw StoreError.content(file: file, problem: "\(field).count: must not be negative") }
            return ExternalTally(
                sourceName: tally.source,
                sourceURL: tally.url,
                count: tally.count,
                countedOn: try tally.counted_on.map { try day($0, file: file, field: "\(field).counted_on") },
                recordedOn: try day(tally.recorded_on, file: file, field: "\(field).recorded_on"),
                note: tally.note
            )
        }
        var texts: [PetitionText] = []
        for language in Language.allCases {
            let textURL = folder.appendingPathComponent("text.\(language.rawValue).yaml")
            guard FileManager.default.fileExists(atPath: textURL.path) else { continue }
            let textFile = relative(textURL, to: root)
            let text = try decode(RawText.self, from: textURL, named: textFile)
            texts.append(
                PetitionText(
                    language: language,
                    title: text.title,
                    summary: text.summary,
                    addressees: text.addressees,
                    action: text.action,
                    background: text.background,
                    explainerTitle: text.explainer_title,
                    explainer: text.explainer,
                    sources: text.sources ?? []
                )
            )
        }
        guard texts.contains(where: { $0.language == defaultLanguage }) else {
            throw StoreError.content(file: file, problem: "no text.\(defaultLanguage.rawValue).yaml for the default language")
        }
        return PetitionFile(
            slug: raw.slug,
            state: state,
            goal: raw.goal,
            defaultLanguage: defaultLanguage,
            organisation: raw.organisation,
            detainees: raw.detainees,
            externalTallies: tallies,
            texts: texts
        )
    }

    private static func loadOrganisation(_ url: URL, relativeTo root: URL) throws -> OrganisationFile {
        let file = relative(url, to: root)
        let raw = try decode(RawOrganisation.self, from: url, named: file)
        let members = try raw.members.enumerated().map { index, member in
            guard let country = Country(code: member.code) else {
                throw StoreError.content(file: file, problem: "members[\(index)].code: '\(member.code)' is not an ISO 3166-1 code")
            }
            return country
        }
        return OrganisationFile(slug: raw.slug, name: raw.name, source: raw.source, members: members)
    }

    /// Decodes one YAML file; errors name the file, the record and the field.
    static func decode<T: Decodable>(_ type: T.Type, from url: URL, named file: String) throws -> T {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw StoreError.content(file: file, problem: "cannot be read as UTF-8 text")
        }
        do {
            return try YAMLDecoder().decode(type, from: text)
        } catch let DecodingError.keyNotFound(key, context) {
            throw problem(in: file, at: context.codingPath + [key], "missing")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context),
            let DecodingError.dataCorrupted(context) where !context.codingPath.isEmpty {
            throw problem(in: file, at: context.codingPath, context.debugDescription)
        } catch {
            throw StoreError.content(file: file, problem: "not valid YAML (\(error))")
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: ["."])
    }

    /// A decoding problem named by record and field: `events[2]` and `date` for `events[2].date`.
    private static func problem(in file: String, at keys: [any CodingKey], _ message: String) -> StoreError {
        guard keys.count > 1, let field = keys.last else { return .content(file: file, problem: "\(path(keys)): \(message)") }
        return .contentRecord(file: file, record: path(Array(keys.dropLast())), field: path([field]), problem: message)
    }

    /// A calendar day written `YYYY-MM-DD`, or an error naming the field.
    private static func day(_ text: String, file: String, field: String) throws -> Date {
        guard let date = Date(day: text) else {
            throw StoreError.content(file: file, problem: "\(field): '\(text)' is not a date written YYYY-MM-DD")
        }
        return date
    }

    private static func subfolders(of folder: URL) throws -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return entries.filter { name in
            var isDirectory: ObjCBool = false
            return !name.hasPrefix(".")
                && FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path, isDirectory: &isDirectory)
                && isDirectory.boolValue
        }.sorted()
    }

    private static func yamlFiles(in folder: URL) throws -> [URL] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return entries.filter { $0.hasSuffix(".yaml") && !$0.hasPrefix(".") }.sorted().map { folder.appendingPathComponent($0) }
    }

    private static func relative(_ url: URL, to root: URL) -> String {
        let path = url.standardizedFileURL.path
        let base = root.standardizedFileURL.path
        return path.hasPrefix(base + "/") ? String(path.dropFirst(base.count + 1)) : path
    }
}
