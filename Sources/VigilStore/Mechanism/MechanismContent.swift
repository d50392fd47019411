import Foundation
import VigilCore

/// The Moscow Mechanism tracker's reference content, read from `Content/mechanism/`: the
/// documents its rules and past uses are cited to, the thresholds its meters count toward, the
/// earlier invocations the campaign could source, and the explanation per language.
///
/// It is reference text, not campaign data staff change in the console, so it is read from the
/// files when the server starts rather than imported into the database.
public struct MechanismContent: Sendable, Equatable {
    public struct Source: Sendable, Equatable, Codable {
        public let key: String
        public let title: String
        public let publisher: String?
        public let url: String?
    }

    /// A number of States the Moscow Document asks for, with how well the number is backed.
    public struct Threshold: Sendable, Equatable, Codable {
        public let paragraph: Int
        public let requesting: Int
        public let supporting: Int
        public let verification: Verification
        /// Keys of `sources`.
        public let sources: [String]
    }

    /// One earlier use of the mechanism, as its sources describe it.
    public struct Invocation: Sendable, Equatable, Codable {
        public let year: Int
        /// As precise as the sources give it: `YYYY-MM` or `YYYY-MM-DD`.
        public let date: String?
        public let concerning: String
        public let invokedBy: String
        public let invokingCount: Int?
        /// The paragraph of the Moscow Document used, if the sources say or suggest it.
        public let paragraph: String?
        public let paragraphVerification: Verification?
        public let topic: String
        public let experts: String?
        public let verification: Verification
        /// What in the entry is less certain than the rest.
        public let caveat: String?
        public let sources: [String]

        enum CodingKeys: String, CodingKey {
            case year, date, concerning, topic, experts, verification, caveat, sources, paragraph
            case invokedBy = "invoked_by"
            case invokingCount = "invoking_count"
            case paragraphVerification = "paragraph_verification"
        }
    }

    public struct Invocations: Sendable, Equatable, Codable {
        /// How many earlier uses the campaign's announcement speaks of.
        public let claimed: Int
        /// The key of the source that speaks of `claimed` uses.
        public let claimedSource: String
        /// Why the sourced list and the claimed number differ.
        public let countingNote: String
        public let countSources: [String]
        public let entries: [Invocation]

        enum CodingKeys: String, CodingKey {
            case claimed, entries
            case claimedSource = "claimed_source"
            case countingNote = "counting_note"
            case countSources = "count_sources"
        }
    }

    /// The explanation of the mechanism in one language.
    public struct Explainer: Sendable, Equatable, Codable {
        public struct Paragraph: Sendable, Equatable, Codable {
            public let text: String
            /// `nil` for the campaign's own statements, which rest on no source.
            public let verification: Verification?
            public let sources: [String]?
        }

        public struct Section: Sendable, Equatable, Codable {
            public let heading: String
            public let paragraphs: [Paragraph]
        }

        public let title: String
        public let summary: String
        public let sections: [Section]
    }

    /// The organisation whose member States the tracker lists.
    public let organisation: String
    public let sources: [Source]
    public let thresholds: [Threshold]
    public let invocations: Invocations
    /// At least English.
    public let explainers: [Language: Explainer]

    /// The explanation in a language, or in English when it has none.
    public func explainer(_ language: Language) -> Explainer? {
        explainers[language] ?? explainers[.fallback]
    }

    private struct File: Codable {
        let organisation: String
        let sources: [Source]
        let thresholds: [Threshold]
        let invocations: Invocations
    }

    /// Reads and checks `mechanism.yaml` and the `explainer.<language>.yaml` files of a folder;
    /// `nil` when the campaign has no such folder. Errors name the file and the field.
    public static func load(from folder: URL) throws -> MechanismContent? {
        let mainURL = folder.appendingPathComponent("mechanism.yaml")
        guard FileManager.default.fileExists(atPath: mainURL.path) else { return nil }
        let main = try CampaignContent.decode(File.self, from: mainURL, named: "mechanism/mechanism.yaml")
        let keys = Set(main.sources.map(\.key))
        func check(_ cited: [String], file: String, record: String) throws {
            if let unknown = cited.first(where: { !keys.contains($0) }) {
                throw StoreError.contentRecord(file: file, record: record, field: "sources", problem: "no source has the key '\(unknown)'")
            }
        }
        let mainFile = "mechanism/mechanism.yaml"
        guard keys.count == main.sources.count else {
            throw StoreError.content(file: mainFile, problem: "two sources have the same key")
        }
        for (index, threshold) in main.thresholds.enumerated() {
            try check(threshold.sources, file: mainFile, record: "thresholds[\(index)]")
            guard threshold.requesting > 0, threshold.supporting >= 0 else {
                throw StoreError.contentRecord(
                    file: mainFile, record: "thresholds[\(index)]", field: "requesting", problem: "needs at least one requesting State"
                )
            }
        }
        try check([main.invocations.claimedSource], file: mainFile, record: "invocations")
        for (index, entry) in main.invocations.entries.enumerated() {
            if let date = entry.date, PartialDate(date) == nil {
                throw StoreError.contentRecord(
                    file: mainFile, record: "invocations.entries[\(index)]", field: "date", problem: "'\(date)' is not YYYY-MM or YYYY-MM-DD"
                )
            }
            if entry.sources.isEmpty {
                throw StoreError.contentRecord(
                    file: mainFile, record: "invocations.entries[\(index)]", field: "sources", problem: "cites no source"
                )
            }
        }
        var explainers: [Language: Explainer] = [:]
        for language in Language.allCases {
            let file = "mechanism/explainer.\(language.rawValue).yaml"
            let url = folder.appendingPathComponent("explainer.\(language.rawValue).yaml")
            guard FileManager.default.fileExists(atPath: url.path) else { continue }
            let explainer = try CampaignContent.decode(Explainer.self, from: url, named: file)
            for (s, section) in explainer.sections.enumerated() {
                for (p, paragraph) in section.paragraphs.enumerated() {
                    try check(paragraph.sources ?? [], file: file, record: "sections[\(s)].paragraphs[\(p)]")
                }
            }
            explainers[language] = explainer
        }
        guard explainers[.fallback] != nil else {
            throw StoreError.content(file: "mechanism/explainer.en.yaml", problem: "the English explanation is missing")
        }
        return MechanismContent(
            organisation: main.organisation, sources: main.sources, thresholds: main.thresholds,
            invocations: main.invocations, explainers: explainers
        )
    }
}
