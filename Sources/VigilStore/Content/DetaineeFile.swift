import Foundation
import VigilCore

/// The shape of `detainees/<slug>.yaml`, field for field, as editors write it.
///
/// Content files, `vigil content export` and the revisions table all use this shape, so a
/// revision reads like the file it came from. Facts carry `cite` (citations) or
/// `unsourced: true`, and may carry `visibility: restricted` and `unclear` (what the sources
/// leave unclear).
struct DetaineeFile: Codable, Equatable {
    var slug: String
    var category: String
    var position: Int
    var published: Bool?
    var names: [NameEntry]
    var born: DateEntry?
    var birthplace: TextEntry?
    var reported_ages: [AgeEntry]?
    var summary: TextEntry?
    var background: [TextEntry]?
    var events: [EventEntry]?
    var proceedings: [ProceedingEntry]?

    struct NameEntry: Codable, Equatable {
        var text: String
        var script: String
        var language: String?
        var kind: String
        var cite: [CitationEntry]?
        var unsourced: Bool?
        var visibility: String?
    }

    struct DateEntry: Codable, Equatable {
        var date: String
        var unclear: LocalizedText?
        var cite: [CitationEntry]?
        var unsourced: Bool?
        var visibility: String?
    }

    struct TextEntry: Codable, Equatable {
        var text: LocalizedText
        var unclear: LocalizedText?
        var cite: [CitationEntry]?
        var unsourced: Bool?
        var visibility: String?
    }

    struct AgeEntry: Codable, Equatable {
        var years: Int
        var as_of: String?
        var unclear: LocalizedText?
        var cite: [CitationEntry]?
        var unsourced: Bool?
        var visibility: String?
    }

    struct EventEntry: Codable, Equatable {
        var kind: String
        var date: String?
        var place: LocalizedText?
        var place_visibility: String?
        var description: LocalizedText
        var unclear: LocalizedText?
        var proceeding: String?
        var cite: [CitationEntry]?
        var unsourced: Bool?
        var visibility: String?
    }

    struct ProceedingEntry: Codable, Equatable {
        var key: String
        var court: LocalizedText
        var place: LocalizedText?
        var judge: String?
        var judge_visibility: String?
        var charges: [LocalizedText]
        var verdict: String?
        var sentence_years: Int?
        var note: LocalizedText?
        var cite: [CitationEntry]?
        var unsourced: Bool?
        var visibility: String?
    }
}

// MARK: - From the file to a record

extension DetaineeFile {
    /// The record the file describes, every field checked; errors name the file, record and field.
    func detainee(check: ContentCheck) throws -> Detainee {
        let top = slug
        guard ContentCheck.isKey(slug) else {
            throw check.fail(top, "slug", "'\(slug)' must be lower-case letters, digits and hyphens")
        }
        guard (check.file as NSString).lastPathComponent == "\(slug).yaml" else {
            throw check.fail(top, "slug", "'\(slug)' differs from the file name; name the file \(slug).yaml")
        }
        guard !names.isEmpty else { throw check.fail(top, "names", "at least one name is needed") }
        let names = try names.enumerated().map { index, entry in try entry.name(check: check, record: "names[\(index)]") }
        guard names.contains(where: { $0.visibility == .public }) || published == false else {
            throw check.fail(top, "names", "a published record needs at least one public name")
        }
        let proceedings = try (proceedings ?? []).enumerated().map { index, entry in
            try entry.proceeding(check: check, record: "proceedings[\(index)]")
        }
        var keys = Set<String>()
        for (index, proceeding) in proceedings.enumerated() where !keys.insert(proceeding.key).inserted {
            throw check.fail("proceedings[\(index)]", "key", "'\(proceeding.key)' is used twice")
        }
        let events = try (events ?? []).enumerated().map { index, entry in
            try entry.event(check: check, record: "events[\(index)]", proceedings: keys)
        }
        var latest: (date: PartialDate, index: Int)?
        for (index, event) in events.enumerated() {
            guard let date = event.date else { continue }
            if let latest, date < latest.date {
                throw check.fail(
                    "events[\(index)]", "date",
                    "\(date) comes before events[\(latest.index)] (\(latest.date)); list events oldest first"
                )
            }
            latest = (date, index)
        }
        return Detainee(
            slug: slug,
            category: try check.choice(category, Detainee.Category.self, record: top, field: "category"),
            position: position,
            published: published ?? true,
            names: names,
            born: try born.map { entry in
                Fact(
                    try check.date(entry.date, record: "born", field: "date"),
                    sourcing: try check.sourcing(entry.cite, unsourced: entry.unsourced, record: "born"),
                    visibility: try check.visibility(entry.visibility, record: "born"),
                    unclear: try entry.unclear.map { try check.text($0, record: "born", field: "unclear") }
                )
            },
            birthplace: try birthplace?.fact(check: check, record: "birthplace"),
            reportedAges: try (reported_ages ?? []).enumerated().map { index, entry in
                try entry.fact(check: check, record: "reported_ages[\(index)]")
            },
            summary: try summary?.fact(check: check, record: "summary"),
            background: try (background ?? []).enumerated().map { index, entry in
                try entry.fact(check: check, record: "background[\(index)]")
            },
            events: events,
            proceedings: proceedings
        )
    }
}

extension DetaineeFile.NameEntry {
    func name(check: ContentCheck, record: String) throws -> Detainee.Name {
        if let language, !Self.isLanguageTag(language) {
            throw check.fail(record, "language", "'\(language)' is not a language tag such as en, hy or ru")
        }
        return Detainee.Name(
            text: try check.nonEmpty(text, record: record, field: "text"),
            script: try check.choice(script, Detainee.Name.Script.self, record: record, field: "script"),
            language: language,
            kind: try check.choice(kind, Detainee.Name.Kind.self, record: record, field: "kind"),
            sourcing: try check.sourcing(cite, unsourced: unsourced, record: record),
            visibility: try check.visibility(visibility, record: record)
        )
    }

    /// A BCP 47 tag in its common form: a two- or three-letter language, then optional subtags.
    static func isLanguageTag(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, (2...3).contains(first.count), first.allSatisfy({ $0.isASCII && $0.isLowercase }) else {
            return false
        }
        return parts.dropFirst().allSatisfy { (1...8).contains($0.count) && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } }
    }
}

extension DetaineeFile.TextEntry {
    func fact(check: ContentCheck, record: String) throws -> Fact<LocalizedText> {
        Fact(
            try check.text(text, record: record, field: "text"),
            sourcing: try check.sourcing(cite, unsourced: unsourced, record: record),
            visibility: try check.visibility(visibility, record: record),
            unclear: try unclear.map { try check.text($0, record: record, field: "unclear") }
        )
    }
}

extension DetaineeFile.AgeEntry {
    func fact(check: ContentCheck, record: String) throws -> Fact<ReportedAge> {
        guard (0...130).contains(years) else { throw check.fail(record, "years", "\(years) is not an age") }
        let sourcing = try check.sourcing(cite, unsourced: unsourced, record: record)
        // An age is true as of the date of the source that gives it, unless the file says otherwise.
        let sourceDate = sourcing.citations.lazy.compactMap { check.sources[$0.source]?.published }.first
        return Fact(
            ReportedAge(years: years, asOf: try as_of.map { try check.date($0, record: record, field: "as_of") } ?? sourceDate),
            sourcing: sourcing,
            visibility: try check.visibility(visibility, record: record),
            unclear: try unclear.map { try check.text($0, record: record, field: "unclear") }
        )
    }
}

extension DetaineeFile.EventEntry {
    func event(check: ContentCheck, record: String, proceedings: Set<String>) throws -> TimelineEvent {
        if let proceeding, !proceedings.contains(proceeding) {
            throw check.fail(record, "proceeding", "'\(proceeding)' is not the key of one of this person's proceedings")
        }
        return TimelineEvent(
            kind: try check.choice(kind, TimelineEvent.Kind.self, record: record, field: "kind"),
            date: try date.map { try check.date($0, record: record, field: "date") },
            place: try place.map { try check.text($0, record: record, field: "place") },
            placeVisibility: try check.visibility(place_visibility, record: record, field: "place_visibility"),
            description: try check.text(description, record: record, field: "description"),
            unclear: try unclear.map { try check.text($0, record: record, field: "unclear") },
            proceeding: proceeding,
            sourcing: try check.sourcing(cite, unsourced: unsourced, record: record),
            visibility: try check.visibility(visibility, record: record)
        )
    }
}

extension DetaineeFile.ProceedingEntry {
    func proceeding(check: ContentCheck, record: String) throws -> Proceeding {
        guard ContentCheck.isKey(key) else {
            throw check.fail(record, "key", "'\(key)' must be lower-case letters, digits and hyphens")
        }
        if let sentence_years, !(1...100).contains(sentence_years) {
            throw check.fail(record, "sentence_years", "\(sentence_years) is not a number of years from 1 to 100")
        }
        if let judge { _ = try check.nonEmpty(judge, record: record, field: "judge") }
        return Proceeding(
            key: key,
            court: try check.text(court, record: record, field: "court"),
            place: try place.map { try check.text($0, record: record, field: "place") },
            judge: judge,
            judgeVisibility: try check.visibility(judge_visibility, record: record, field: "judge_visibility"),
            charges: try charges.enumerated().map { index, charge in
                try check.text(charge, record: record, field: "charges[\(index)]")
            },
            verdict: try verdict.map { try check.choice($0, Proceeding.Verdict.self, record: record, field: "verdict") },
            sentenceYears: sentence_years,
            note: try note.map { try check.text($0, record: record, field: "note") },
            sourcing: try check.sourcing(cite, unsourced: unsourced, record: record),
            visibility: try check.visibility(visibility, record: record)
        )
    }
}

// MARK: - From a record back to the file

extension DetaineeFile {
    /// The file that describes a record: what `vigil content export` writes and revisions keep.
    init(_ detainee: Detainee) {
        slug = detainee.slug
        category = detainee.category.rawValue
        position = detainee.position
        published = detainee.published ? nil : false
        names = detainee.names.map { name in
            NameEntry(
                text: name.text, script: name.script.rawValue, language: name.language, kind: name.kind.rawValue,
                cite: name.sourcing.fileCitations, unsourced: name.sourcing.fileUnsourced, visibility: name.visibility.fileValue
            )
        }
        born = detainee.born.map { fact in
            DateEntry(
                date: fact.value.description, unclear: fact.unclear,
                cite: fact.sourcing.fileCitations, unsourced: fact.sourcing.fileUnsourced, visibility: fact.visibility.fileValue
            )
        }
        birthplace = detainee.birthplace.map(TextEntry.init)
        reported_ages = detainee.reportedAges.isEmpty ? nil : detainee.reportedAges.map { fact in
            AgeEntry(
                years: fact.value.years, as_of: fact.value.asOf?.description, unclear: fact.unclear,
                cite: fact.sourcing.fileCitations, unsourced: fact.sourcing.fileUnsourced, visibility: fact.visibility.fileValue
            )
        }
        summary = detainee.summary.map(TextEntry.init)
        background = detainee.background.isEmpty ? nil : detainee.background.map(TextEntry.init)
        events = detainee.events.isEmpty ? nil : detainee.events.map { event in
            EventEntry(
                kind: event.kind.rawValue, date: event.date?.description, place: event.place,
                place_visibility: event.placeVisibility.fileValue, description: event.description, unclear: event.unclear,
                proceeding: event.proceeding, cite: event.sourcing.fileCitations, unsourced: event.sourcing.fileUnsourced,
                visibility: event.visibility.fileValue
            )
        }
        proceedings = detainee.proceedings.isEmpty ? nil : detainee.proceedings.map { proceeding in
            ProceedingEntry(
                key: proceeding.key, court: proceeding.court, place: proceeding.place, judge: proceeding.judge,
                judge_visibility: proceeding.judgeVisibility.fileValue, charges: proceeding.charges,
                verdict: proceeding.verdict?.rawValue, sentence_years: proceeding.sentenceYears, note: proceeding.note,
                cite: proceeding.sourcing.fileCitations, unsourced: proceeding.sourcing.fileUnsourced,
                visibility: proceeding.visibility.fileValue
            )
        }
    }
}

extension DetaineeFile.TextEntry {
    init(_ fact: Fact<LocalizedText>) {
        self.init(
            text: fact.value, unclear: fact.unclear,
            cite: fact.sourcing.fileCitations, unsourced: fact.sourcing.fileUnsourced, visibility: fact.visibility.fileValue
        )
    }
}
