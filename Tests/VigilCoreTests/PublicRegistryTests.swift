import Testing
import VigilCore

@Suite("Public registry")
struct PublicRegistryTests {
    static let cited = Sourcing.cited([Citation(source: "public-source", location: "p. 1", reliability: .reported)])
    static let secret = Sourcing.cited([Citation(source: "secret-source", reliability: .reported)])

    /// A record with one restricted item of every kind, each marked "SECRET".
    static var record: Detainee {
        let proceedings = [
            Proceeding(
                key: "open-trial", court: LocalizedText(english: "Open court"), judge: "SECRET judge", judgeVisibility: .restricted,
                charges: [LocalizedText(english: "Espionage")], verdict: .guilty, sentenceYears: 15, sourcing: cited
            ),
            Proceeding(
                key: "secret-trial", court: LocalizedText(english: "SECRET court"), charges: [], verdict: nil,
                sentenceYears: nil, sourcing: secret, visibility: .restricted
            ),
        ]
        return Detainee(
            slug: "someone",
            category: .civilian,
            position: 1,
            names: [
                Detainee.Name(text: "Public Name", script: .latin, language: "en", kind: .common, sourcing: cited),
                Detainee.Name(text: "SECRET Name", script: .latin, language: "en", kind: .legal, sourcing: secret, visibility: .restricted),
            ],
            born: Fact(PartialDate(year: 1970)!, sourcing: secret, visibility: .restricted),
            birthplace: Fact(LocalizedText(english: "Public town"), sourcing: cited),
            reportedAges: [Fact(ReportedAge(years: 50, asOf: nil), sourcing: secret, visibility: .restricted)],
            summary: Fact(LocalizedText(english: "Public summary"), sourcing: cited),
            background: [
                Fact(LocalizedText(english: "Public background"), sourcing: cited),
                Fact(LocalizedText(english: "SECRET health"), sourcing: secret, visibility: .restricted),
            ],
            events: [
                TimelineEvent(
                    kind: .detained, date: PartialDate("2023-09"), place: LocalizedText(english: "SECRET prison"),
                    placeVisibility: .restricted, description: LocalizedText(english: "Public event"), sourcing: cited
                ),
                TimelineEvent(
                    kind: .transferred, date: PartialDate("2024-01"), description: LocalizedText(english: "SECRET transfer"),
                    sourcing: secret, visibility: .restricted
                ),
                TimelineEvent(
                    kind: .tried, date: PartialDate("2024-02"), description: LocalizedText(english: "Public hearing"),
                    proceeding: "secret-trial", sourcing: cited
                ),
            ],
            proceedings: proceedings
        )
    }

    @Test("every restricted item is gone, and everything public is kept")
    func filters() throws {
        let person = try #require(PublicDetainee(filtering: Self.record))
        let record = person.record
        #expect(!"\(record)".contains("SECRET"))
        #expect(!"\(record)".contains("secret-"))
        #expect(record.names.map(\.text) == ["Public Name"])
        #expect(record.born == nil)
        #expect(record.reportedAges.isEmpty)
        #expect(record.birthplace?.value.text(in: .english) == "Public town")
        #expect(record.background.map { $0.value.text(in: .english) } == ["Public background"])
        #expect(record.events.map { $0.description.text(in: .english) } == ["Public event", "Public hearing"])
        #expect(record.events.first?.place == nil)
        #expect(record.events.last?.proceeding == nil, "the key of a restricted proceeding is not kept")
        #expect(record.proceedings.map(\.key) == ["open-trial"])
        #expect(record.proceedings.first?.judge == nil)
        #expect(record.proceedings.first?.sentenceYears == 15)
    }

    @Test("sources cited only by restricted facts are not listed")
    func sources() {
        let registry = Registry(
            sources: [Source(key: "public-source", title: "Public"), Source(key: "secret-source", title: "SECRET")],
            detainees: [Self.record]
        )
        let filtered = PublicRegistry(filtering: registry)
        #expect(filtered.sources.map(\.key) == ["public-source"])
        #expect(filtered.detainees.count == 1)
    }

    @Test("an unpublished record, or one without a public name, is left out whole")
    func unpublished() {
        var hidden = Self.record
        hidden.published = false
        #expect(PublicDetainee(filtering: hidden) == nil)
        var nameless = Self.record
        nameless.names = nameless.names.filter { $0.visibility == .restricted }
        #expect(PublicDetainee(filtering: nameless) == nil)
        let registry = PublicRegistry(filtering: Registry(sources: [], detainees: [hidden, Self.record]))
        #expect(registry.detainees.count == 1)
        #expect(registry.detainee(slug: "someone") != nil)
    }
}
