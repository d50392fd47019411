import Foundation
import VigilCore
import Yams

extension CampaignContent {
    /// Writes the content as files that ``load(from:)`` reads back: `campaign.yaml`,
    /// `sources.yaml`, `detainees/`, `organisations/` and `petitions/`.
    ///
    /// The folder must not exist yet, or be empty, so an export never overwrites the files an
    /// editor is working on.
    public func write(to folder: URL) throws {
        let files = FileManager.default
        if files.fileExists(atPath: folder.path) {
            let entries = (try? files.contentsOfDirectory(atPath: folder.path)) ?? []
            guard entries.filter({ !$0.hasPrefix(".") }).isEmpty else {
                throw StoreError.content(file: folder.path, problem: "the folder is not empty; export into a new folder")
            }
        }
        var names: [String: String] = [:]
        for (language, name) in self.names { names[language.rawValue] = name }
        // The names are a dictionary, whose order changes from run to run: sorted, two exports
        // of the same content are the same files.
        try Self.writeYAML(RawCampaign(name: names), to: folder.appendingPathComponent("campaign.yaml"), sortKeys: true)
        try Self.writeYAML(SourcesFile(sources: sources), to: folder.appendingPathComponent("sources.yaml"))
        for detainee in detainees {
            try Self.writeYAML(DetaineeFile(detainee), to: folder.appendingPathComponent("detainees/\(detainee.slug).yaml"))
        }
        for organisation in organisations {
            try Self.writeYAML(
                RawOrganisation(
                    slug: organisation.slug,
                    name: organisation.name,
                    source: organisation.source,
                    members: organisation.members.map { RawMember(code: $0.code, name: $0.name(in: .english)) }
                ),
                to: folder.appendingPathComponent("organisations/\(organisation.slug).yaml")
            )
        }
        for petition in petitions {
            let petitionFolder = folder.appendingPathComponent("petitions/\(petition.slug)")
            try Self.writeYAML(
                RawPetition(
                    slug: petition.slug,
                    state: petition.state.rawValue,
                    goal: petition.goal,
                    default_language: petition.defaultLanguage.rawValue,
                    organisation: petition.organisation,
                    detainees: petition.detainees,
                    external_tallies: petition.externalTallies.map { tally in
                        RawTally(
                            source: tally.sourceName,
                            url: tally.sourceURL,
                            count: tally.count,
                            counted_on: tally.countedOn.map { PartialDate(dayOf: $0).description },
                            recorded_on: PartialDate(dayOf: tally.recordedOn).description,
                            note: tally.note
                        )
                    }
                ),
                to: petitionFolder.appendingPathComponent("petition.yaml")
            )
            for text in petition.texts {
                try Self.writeYAML(
                    RawText(
                        title: text.title,
                        summary: text.summary,
                        addressees: text.addressees,
                        action: text.action,
                        background: text.background,
                        explainer_title: text.explainerTitle,
                        explainer: text.explainer,
                        sources: text.sources
                    ),
                    to: petitionFolder.appendingPathComponent("text.\(text.language.rawValue).yaml")
                )
            }
        }
    }

    private static func writeYAML(_ value: some Encodable, to url: URL, sortKeys: Bool = false) throws {
        let header = "# Written by `vigil content export`; `vigil content import` reads it back.\n"
        let text: String
        do {
            let encoder = YAMLEncoder()
            encoder.options.allowUnicode = true
            encoder.options.width = 100
            encoder.options.sortKeys = sortKeys
            text = try encoder.encode(value)
        } catch {
            throw StoreError.content(file: url.path, problem: "could not be written as YAML (\(error))")
        }
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try (header + text).write(to: url, atomically: true, encoding: .utf8)
        } catch {
            throw StoreError.content(file: url.path, problem: "could not be written (\(error.localizedDescription))")
        }
    }
}
