import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VigilCore
import VigilStore
import VigilTestSupport
@testable import VigilWeb

@Suite("Charts and maps", .onBothDatabases)
struct ChartsTests {
    static let today: Int64 = 20_700

    static func chart(_ app: TestApp, byDay: [Int64: Int], before: Int = 3_807, language: Language = .english) -> SignatureChart? {
        SignatureChart(
            byDay: byDay, before: before, goal: 5_500, today: today, language: language, catalogue: app.server.services.renderer.catalogue
        )
    }

    static func date(_ day: Int64, _ language: Language = .english) -> String {
        Date(timeIntervalSince1970: Double(day) * 86_400)
            .formatted(Date.FormatStyle(date: .abbreviated, time: .omitted, timeZone: TimeZone(identifier: "UTC")!).locale(language.locale))
    }

    @Test("the chart runs from the first signature (two weeks at least) to today, a bar per day signed, the total from the count before")
    func chartFigures() async throws {
        try await TestApp.with { app, _ in
            #expect(Self.chart(app, byDay: [:]) == nil)
            #expect(Self.chart(app, byDay: [Self.today: 0]) == nil)

            let chart = try #require(Self.chart(app, byDay: [Self.today - 2: 3, Self.today: 7]))
            #expect(chart.firstDay == Self.date(Self.today - 13))
            #expect(chart.lastDay == Self.date(Self.today))
            #expect(chart.bars.count == 2)
            #expect(chart.bars.map(\.title) == ["\(Self.date(Self.today - 2)): 3", "\(Self.date(Self.today)): 7"])
            // The taller bar fills the plot's height; the other is 3/7 of it.
            let heights = chart.bars.compactMap { Double($0.height) }
            #expect(heights.last == SignatureChart.barsBottom - SignatureChart.barsTop)
            #expect(abs((heights.first ?? 0) - (SignatureChart.barsBottom - SignatureChart.barsTop) * 3 / 7) < 0.1)
            // Newest first, only days someone signed, with the running total from the 3,807 before.
            #expect(chart.rows.map(\.total) == ["3,817", "3,810"])
            #expect(chart.rows.map(\.count) == ["7", "3"])
            // Fifteen points: where the count stood before, then one per day.
            #expect(chart.totalLine.split(separator: " ").count == 15)
            #expect(chart.summary.contains("10 signatures were confirmed on this site"))
            #expect(chart.summary.contains("3,817 of its goal of 5,500"))
            // 10 in seven days is 10/7 a day; 1,683 remaining take 1,179 days.
            #expect(chart.pace == "At the pace of the last seven days (about 1 a day), the goal will be reached around \(Self.date(Self.today + 1_179)).")
        }
    }

    @Test("the pace says when it cannot tell, and when the goal is met")
    func chartPace() async throws {
        try await TestApp.with { app, _ in
            let slow = try #require(Self.chart(app, byDay: [Self.today - 30: 500]))
            #expect(slow.pace == "Too few signatures in the last seven days to say when the goal will be reached.")
            let done = try #require(Self.chart(app, byDay: [Self.today: 2_000]))
            #expect(done.pace == "The goal has been reached.")
            let russian = try #require(Self.chart(app, byDay: [Self.today: 2], language: .russian))
            #expect(russian.summary.contains("подтверждены 2 подписи"))
        }
    }

    @Test("the petition page draws the chart and the map of signers' States from real signatures, and neither before any")
    func petitionPage() async throws {
        try await TestApp.with { app, client in
            let before = try await Browser(client).get("/petitions/osce-moscow-mechanism").body
            #expect(!before.contains("class=\"signature-chart\""))
            #expect(!before.contains("class=\"state-map\""))

            _ = try await app.signAndConfirm(client, email: "fr@example.org", country: "FR")
            _ = try await app.signAndConfirm(client, email: "am@example.org", country: "AM")
            _ = try await app.signAndConfirm(client, email: "br@example.org", country: "BR")
            let page = try await Browser(client).get("/petitions/osce-moscow-mechanism").body
            #expect(page.contains("class=\"signature-chart\""))
            #expect(page.components(separatedBy: "class=\"chart__bar\"").count - 1 == 1)
            #expect(page.contains("3 signatures were confirmed on this site"))
            #expect(page.components(separatedBy: "<g class=\"tile ").count - 1 == 57)
            #expect(page.contains("<g class=\"tile tile--signatures-1\"><title>France: 1 signature</title>"))
            #expect(page.contains("<g class=\"tile tile--signatures-1\"><title>Armenia: 1 signature</title>"))
            #expect(page.contains("<g class=\"tile tile--signatures-0\"><title>Germany: 0 signatures</title>"))
            #expect(page.contains("1 signature came from another country."))
        }
    }

    @Test("the Moscow Mechanism page shades each State's tile by the campaign's standing with it")
    func mechanismMap() async throws {
        try await TestApp.with { app, client in
            let states = try await app.store.memberCountries(ofOrganisation: "osce")
            let audit = AuditRecord(staffID: nil, actor: "test", action: "")
            try await app.store.recordAdvocacy(
                country: "AM", status: .committed, note: nil, visibility: .public, on: app.clock.now, among: states, audit: audit
            )
            try await app.store.recordAdvocacy(
                country: "FR", status: .declined, note: nil, visibility: .public, on: app.clock.now, among: states, audit: audit
            )
            let page = try await Browser(client).get("/mechanism").body
            #expect(page.components(separatedBy: "<g class=\"tile ").count - 1 == 57)
            #expect(page.contains("<g class=\"tile tile--status-committed\"><title>Armenia: Committed to invoke</title>"))
            #expect(page.contains("<g class=\"tile tile--status-declined\"><title>France: Declined</title>"))
            #expect(page.contains("<g class=\"tile tile--status-not-contacted\"><title>Holy See: Not contacted</title>"))
            #expect(page.contains("Committed to invoke (1)"))
        }
    }
}
