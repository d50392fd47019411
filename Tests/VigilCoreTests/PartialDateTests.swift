import Foundation
import Testing
import VigilCore

@Suite("Partial dates")
struct PartialDateTests {
    @Test("a date keeps the precision it was given with", arguments: [
        ("2023", PartialDate.Precision.year), ("2023-09", .month), ("2023-09-27", .day),
    ])
    func precision(text: String, precision: PartialDate.Precision) throws {
        let date = try #require(PartialDate(text))
        #expect(date.precision == precision)
        #expect(date.description == text)
    }

    @Test("what is not a calendar date is refused", arguments: [
        "", "23", "2023-9", "2023-09-1", "2023-13", "2023-02-29", "2023-04-31", "0000", "2023-00", "２０２３", "2023-09-27T10:00", "2023--09",
    ])
    func refused(text: String) {
        #expect(PartialDate(text) == nil)
    }

    @Test("29 February exists in leap years only")
    func leapYears() {
        #expect(PartialDate("2024-02-29") != nil)
        #expect(PartialDate("2000-02-29") != nil)
        #expect(PartialDate("1900-02-29") == nil)
    }

    @Test("dates sort by year, month and day, a month before its days")
    func order() throws {
        let texts = ["2023-09-28", "2020", "2023-09", "2023-09-27", "2023-10-03", "2023"]
        let sorted = texts.compactMap(PartialDate.init).sorted().map(\.description)
        #expect(sorted == ["2020", "2023", "2023-09", "2023-09-27", "2023-09-28", "2023-10-03"])
    }

    @Test("a partial date spans from its first to its last possible day")
    func span() throws {
        let month = try #require(PartialDate("2023-09"))
        #expect(PartialDate(dayOf: month.firstDay) == PartialDate("2023-09-01"))
        #expect(PartialDate(dayOf: month.lastDay) == PartialDate("2023-09-30"))
        let leap = try #require(PartialDate("2024-02"))
        #expect(PartialDate(dayOf: leap.lastDay) == PartialDate("2024-02-29"))
        let year = try #require(PartialDate("2023"))
        #expect(PartialDate(dayOf: year.lastDay) == PartialDate("2023-12-31"))
    }

    @Test("only the known parts are written, in the reader's language")
    func formatted() throws {
        let day = try #require(PartialDate("2023-09-27"))
        let month = try #require(PartialDate("2023-09"))
        let year = try #require(PartialDate("2023"))
        #expect(day.formatted(in: .english) == "September 27, 2023")
        #expect(month.formatted(in: .english) == "September 2023")
        #expect(year.formatted(in: .english) == "2023")
        #expect(day.formatted(in: .french) == "27 septembre 2023")
        #expect(day.formatted(in: .russian).contains("сентября"))
        #expect(month.formatted(in: .armenian).contains("սեպտեմբեր"))
        #expect(!month.formatted(in: .english).contains("1"))
    }

    @Test("JSON holds the date as its text, and refuses a bad one")
    func codable() throws {
        let date = try #require(PartialDate("2023-09"))
        let data = try JSONEncoder().encode([date])
        #expect(String(decoding: data, as: UTF8.self) == #"["2023-09"]"#)
        #expect(try JSONDecoder().decode([PartialDate].self, from: data) == [date])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([PartialDate].self, from: Data(#"["2023-9"]"#.utf8)) }
    }
}

@Suite("Custody")
struct CustodyTests {
    /// 21 September 2026, 14:13 UTC: the test clock's start.
    let now = Date(timeIntervalSince1970: 1_790_000_000)

    func event(_ kind: TimelineEvent.Kind, _ date: String?, proceeding: String? = nil) -> TimelineEvent {
        TimelineEvent(
            kind: kind, date: date.flatMap(PartialDate.init), description: LocalizedText(english: "x"),
            proceeding: proceeding, sourcing: .unsourced
        )
    }

    @Test("an exact start gives an exact number of days")
    func exact() throws {
        let custody = Custody(events: [event(.detained, "2023-09-28")], proceedings: [])
        #expect(custody.status == .held)
        #expect(custody.timeHeld(now: now) == TimeHeld(days: 1089, isMinimum: false))
    }

    @Test("a month or a year counts from its last day, as a minimum")
    func partial() throws {
        let month = Custody(events: [event(.detained, "2023-09")], proceedings: [])
        #expect(month.timeHeld(now: now) == TimeHeld(days: 1087, isMinimum: true))
        let year = Custody(events: [event(.detained, "2023")], proceedings: [])
        #expect(year.timeHeld(now: now) == TimeHeld(days: 995, isMinimum: true))
    }

    @Test("missing, then an announced arrest: held at least since the announcement")
    func announced() throws {
        let missing = Custody(events: [event(.reportedMissing, "2023-09-19")], proceedings: [])
        #expect(missing.status == .missing)
        #expect(missing.timeHeld(now: now) == nil)
        let custody = Custody(events: [event(.reportedMissing, "2023-09-19"), event(.arrestAnnounced, "2023-11-02")], proceedings: [])
        #expect(custody.status == .held)
        #expect(custody.since == PartialDate("2023-11-02"))
        #expect(custody.sinceIsAnnouncement)
        #expect(custody.timeHeld(now: now) == TimeHeld(days: 1054, isMinimum: true))
    }

    @Test("trial and sentence set the status; the sentence's years come from its proceeding")
    func sentenced() throws {
        let proceeding = Proceeding(
            key: "p", court: LocalizedText(english: "Court"), charges: [], verdict: .guilty, sentenceYears: 15, sourcing: .unsourced
        )
        let events = [event(.abducted, "2023-07-29"), event(.tried, "2023-10-13", proceeding: "p")]
        #expect(Custody(events: events, proceedings: [proceeding]).status == .onTrial)
        let custody = Custody(
            events: events + [event(.sentenced, "2023-11-07", proceeding: "p"), event(.appealRejected, nil, proceeding: "p")],
            proceedings: [proceeding]
        )
        #expect(custody.status == .sentenced)
        #expect(custody.sentenceYears == 15)
        #expect(custody.since == PartialDate("2023-07-29"))
    }

    @Test("a release ends the count; a later detention starts a new one")
    func release() throws {
        let released = Custody(events: [event(.detained, "2020-11-10"), event(.released, "2021-11-10")], proceedings: [])
        #expect(released.status == .released)
        #expect(released.timeHeld(now: now) == TimeHeld(days: 365, isMinimum: false))
        let again = Custody(
            events: [event(.detained, "2020-11-10"), event(.released, "2021-11-10"), event(.detained, "2026-09-01")],
            proceedings: []
        )
        #expect(again.timeHeld(now: now) == TimeHeld(days: 20, isMinimum: false))
    }

    @Test("no events, or an undated detention, give no count")
    func unknown() {
        #expect(Custody(events: [], proceedings: []).status == .unknown)
        #expect(Custody(events: [event(.detained, nil)], proceedings: []).timeHeld(now: now) == nil)
    }
}
