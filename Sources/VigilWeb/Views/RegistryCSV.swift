import Foundation
import VigilCore

/// The public registry as one CSV table (RFC 4180), one person per row, for spreadsheets.
/// Facts with several values are joined with " | "; citations are written out in full.
enum RegistryCSV {
    static let columns = [
        "slug", "url", "name", "other_names", "category", "status", "held_since", "held_since_precision",
        "days_held", "days_held_is_minimum", "born", "birthplace", "reported_age", "summary", "sentence_years",
        "courts", "charges", "citations", "source_urls",
    ]

    static func document(people: [PublicDetainee], sources: [Source], language: Language, baseURL: String, now: Date) -> String {
        let byKey = Dictionary(sources.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        var lines = [columns.map(field).joined(separator: ",")]
        for person in people {
            let record = person.record
            let custody = record.custody
            let held = custody.timeHeld(now: now)
            let numbers = CitationNumbers(record)
            let citations = numbers.citations.enumerated().map { index, citation in
                let parts = [byKey[citation.source]?.title ?? citation.source, citation.location, citation.quote.map { "“\($0)”" }]
                return "[\(index + 1)] " + parts.compactMap { $0 }.joined(separator: " — ") + " (\(citation.reliability.rawValue))"
            }
            let urls = Set(numbers.citations.map(\.source)).sorted().compactMap { byKey[$0]?.url }
            let row: [String] = [
                record.slug,
                "\(baseURL)/detainees/\(record.slug)",
                record.displayName,
                record.names.map(\.text).filter { $0 != record.displayName }.joined(separator: " | "),
                record.category.rawValue,
                custody.status.rawValue,
                custody.since?.description ?? "",
                custody.since?.precision.rawValue ?? "",
                held.map { String($0.days) } ?? "",
                held.map { $0.isMinimum ? "true" : "false" } ?? "",
                record.born?.value.description ?? "",
                record.birthplace?.value.text(in: language) ?? "",
                record.reportedAges.map { String($0.value.years) }.joined(separator: " | "),
                record.summary?.value.text(in: language) ?? "",
                custody.sentenceYears.map(String.init) ?? "",
                record.proceedings.map { $0.court.text(in: language) }.joined(separator: " | "),
                record.proceedings.flatMap(\.charges).map { $0.text(in: language) }.joined(separator: " | "),
                citations.joined(separator: " | "),
                urls.joined(separator: " | "),
            ]
            lines.append(row.map(field).joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// Quotes a field when needed, and defuses values a spreadsheet would run as a formula.
    static func field(_ value: String) -> String {
        var text = value
        if let first = text.first, "=+-@\t\r".contains(first) { text = "'" + text }
        return CSVTable.quoted(text)
    }
}
