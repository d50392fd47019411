import Foundation
import VigilCore

/// Checks the values of one content file and names the file, the record and the field of
/// anything wrong, so an editor can go straight to it.
struct ContentCheck {
    let file: String
    /// The sources in `sources.yaml` by key: citations must name one of them.
    let sources: [String: Source]

    func fail(_ record: String, _ field: String, _ problem: String) -> StoreError {
        .contentRecord(file: file, record: record, field: field, problem: problem)
    }

    /// A value of one of the fixed lists (a category, a kind of event, a script …).
    func choice<T: RawRepresentable & CaseIterable>(_ text: String, _ type: T.Type, record: String, field: String) throws -> T
    where T.RawValue == String {
        guard let value = T(rawValue: text) else {
            let known = T.allCases.map(\.rawValue).joined(separator: ", ")
            throw fail(record, field, "'\(text)' is not one of \(known)")
        }
        return value
    }

    func visibility(_ text: String?, record: String, field: String = "visibility") throws -> Visibility {
        guard let text else { return .public }
        return try choice(text, Visibility.self, record: record, field: field)
    }

    func date(_ text: String, record: String, field: String) throws -> PartialDate {
        guard let date = PartialDate(text) else {
            throw fail(record, field, "'\(text)' is not a date written YYYY, YYYY-MM or YYYY-MM-DD")
        }
        return date
    }

    /// A text shown to readers: it must have English, the fallback language, and no empty language.
    func text(_ text: LocalizedText, record: String, field: String) throws -> LocalizedText {
        guard let english = text.texts[.fallback], !english.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw fail(record, field, "needs an English text (en); English is the fallback language")
        }
        if let empty = text.texts.first(where: { $0.value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }) {
            throw fail(record, "\(field).\(empty.key.rawValue)", "is empty")
        }
        return text
    }

    func nonEmpty(_ text: String, record: String, field: String) throws -> String {
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw fail(record, field, "is empty") }
        return text
    }

    /// Either citations of known sources, or `unsourced: true`; never both, never neither.
    func sourcing(_ cite: [CitationEntry]?, unsourced: Bool?, record: String) throws -> Sourcing {
        let citations = cite ?? []
        switch (citations.isEmpty, unsourced ?? false) {
        case (true, false):
            throw fail(record, "cite", "a fact needs at least one citation, or `unsourced: true` until it has one")
        case (false, true):
            throw fail(record, "unsourced", "is true, but the fact has citations; remove one or the other")
        case (true, true):
            return .unsourced
        case (false, false):
            return .cited(try citations.enumerated().map { index, entry in
                let field = "cite[\(index)]"
                guard sources[entry.source] != nil else {
                    throw fail(record, "\(field).source", "'\(entry.source)' is not a source in sources.yaml")
                }
                return Citation(
                    source: entry.source,
                    location: entry.location,
                    quote: entry.quote,
                    reliability: try choice(entry.reliability, Citation.Reliability.self, record: record, field: "\(field).reliability")
                )
            })
        }
    }

    /// Short names used in addresses and references: lower-case letters, digits and single hyphens.
    static func isKey(_ text: String) -> Bool {
        !text.isEmpty && !text.hasPrefix("-") && !text.hasSuffix("-") && !text.contains("--")
            && text.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
    }
}

/// A citation as content files write it.
struct CitationEntry: Codable, Equatable {
    var source: String
    var location: String?
    var quote: String?
    var reliability: String

    init(_ citation: Citation) {
        source = citation.source
        location = citation.location
        quote = citation.quote
        reliability = citation.reliability.rawValue
    }
}

extension Sourcing {
    /// The `cite` field of a content file.
    var fileCitations: [CitationEntry]? {
        citations.isEmpty ? nil : citations.map(CitationEntry.init)
    }

    /// The `unsourced` field of a content file: written only when true.
    var fileUnsourced: Bool? { isUnsourced ? true : nil }
}

extension Visibility {
    /// The `visibility` field of a content file: written only when not public.
    var fileValue: String? { self == .public ? nil : rawValue }
}
