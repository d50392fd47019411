import Foundation

/// A petition's text as staff type it in the console: lists one item per line, paragraphs
/// separated by a blank line, sources as `title | address`.
public struct PetitionTextForm: Sendable, Equatable {
    public var title = ""
    public var summary = ""
    public var addressees = ""
    public var action = ""
    public var background = ""
    public var explainerTitle = ""
    public var explainer = ""
    public var sources = ""

    /// A field of the form, named as in the HTML form.
    public enum Field: String, Sendable, CaseIterable {
        case title, summary, addressees, action, background
        case explainerTitle = "explainer_title"
        case explainer, sources
    }

    /// Why a field was refused; the catalogue key explains it.
    public enum Problem: Sendable, Equatable {
        case required
        case tooLong(maximum: Int)
        case malformedSource(line: Int)

        public var messageKey: String {
            switch self {
            case .required: "field_required"
            case .tooLong: "field_too_long"
            case .malformedSource: "text_source_malformed"
            }
        }
    }

    public init() {}

    /// The form filled from a stored text, for editing.
    public init(_ text: PetitionText) {
        title = text.title
        summary = text.summary
        addressees = text.addressees.joined(separator: "\n")
        action = text.action.joined(separator: "\n\n")
        background = text.background.joined(separator: "\n\n")
        explainerTitle = text.explainerTitle
        explainer = text.explainer.joined(separator: "\n\n")
        sources = text.sources.map { "\($0.title) | \($0.url)" }.joined(separator: "\n")
    }

    /// The problems of a form, by field.
    public struct Problems: Error, Sendable, Equatable {
        public var byField: [Field: Problem]
    }

    /// The text, or every problem at once.
    public func validated(language: Language) -> Result<PetitionText, Problems> {
        var problems: [Field: Problem] = [:]
        func line(_ text: String, _ field: Field, maximum: Int, required: Bool = true) -> String {
            let value = text.trimmingCharacters(in: .whitespacesAndNewlines).precomposedStringWithCanonicalMapping
            if value.isEmpty && required { problems[field] = .required }
            if value.count > maximum { problems[field] = .tooLong(maximum: maximum) }
            return value
        }
        let title = line(self.title, .title, maximum: 200)
        let summary = line(self.summary, .summary, maximum: 600)
        let explainerTitle = line(self.explainerTitle, .explainerTitle, maximum: 200, required: false)
        let addressees = Self.lines(self.addressees)
        if addressees.isEmpty { problems[.addressees] = .required }
        if addressees.contains(where: { $0.count > 300 }) { problems[.addressees] = .tooLong(maximum: 300) }
        let action = Self.paragraphs(self.action)
        if action.isEmpty { problems[.action] = .required }
        for (field, paragraphs) in [(Field.action, action), (.background, Self.paragraphs(background)), (.explainer, Self.paragraphs(explainer))]
        where paragraphs.contains(where: { $0.count > 3000 }) {
            problems[field] = .tooLong(maximum: 3000)
        }
        var sources: [PetitionText.Source] = []
        for (index, entry) in Self.lines(self.sources).enumerated() {
            let parts = entry.split(separator: "|", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, let url = URL(string: parts[1]),
                  ["http", "https"].contains(url.scheme ?? ""), url.host != nil
            else {
                problems[.sources] = .malformedSource(line: index + 1)
                continue
            }
            sources.append(PetitionText.Source(title: parts[0], url: parts[1]))
        }
        guard problems.isEmpty else { return .failure(Problems(byField: problems)) }
        return .success(
            PetitionText(
                language: language,
                title: title,
                summary: summary,
                addressees: addressees,
                action: action,
                background: Self.paragraphs(background),
                explainerTitle: explainerTitle,
                explainer: Self.paragraphs(explainer),
                sources: sources
            )
        )
    }

    static func lines(_ text: String) -> [String] {
        text.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces).precomposedStringWithCanonicalMapping }
            .filter { !$0.isEmpty }
    }

    /// Paragraphs are separated by one or more blank lines; line breaks inside one are kept as spaces.
    static func paragraphs(_ text: String) -> [String] {
        text.replacingOccurrences(of: "\r\n", with: "\n")
            .components(separatedBy: "\n\n")
            .map { $0.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ") }
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines).precomposedStringWithCanonicalMapping }
            .filter { !$0.isEmpty }
    }
}
