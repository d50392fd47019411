import Foundation
import VigilCore
import VigilStore

/// What `index.html` of a dossier shows: a printable A4 document, with no external assets.
struct DossierIndexPage {
    struct Letter {
        let addressee: String
        let greeting: String
        let paragraphs: [String]
    }

    struct TextSection {
        let lang: String
        let languageName: String
        let title: String
        let addressees: [String]
        let action: [String]
        let countText: String
        let olderVersions: [String]
    }

    struct Row {
        let label: String
        let count: String
        let note: String?
    }

    struct Chart {
        let width: Int
        let height: Int
        let baseline: Int
        let bars: [SignatureChart.Bar]
        let firstDay: String
        let lastDay: String
        let maximum: String
        let summary: String
    }

    let lang: String
    let t: [String: String]
    let title: String
    let petitionTitle: String
    let campaign: String
    let coverCount: String
    let coverDate: String
    let letterDate: String
    let letters: [Letter]
    let texts: [TextSection]
    let totals: [Row]
    let grandTotal: Row
    let countries: [Row]
    /// The committees that agreed to be named, with the signatures credited to each.
    let committees: [Row]
    let hasCommittees: Bool
    let committeesNote: String
    let chart: Chart?
    let listedNote: String
    let treeHead: [Row]
    let howToCheck: [String]
    let deliveries: [String]
    let hasDeliveries: Bool

    /// The bars of signatures by day, scaled into a fixed SVG box; numbers only, so the
    /// template can draw them without any markup coming from data.
    static func chart(byDay: [String: Int], language: Language, catalogue: MessageCatalogue) -> Chart? {
        let withSignatures = byDay.keys.sorted()
        guard let first = withSignatures.first, let last = withSignatures.last, let maximum = byDay.values.max(), maximum > 0,
              let start = try? Date(first, strategy: .iso8601.year().month().day()),
              let end = try? Date(last, strategy: .iso8601.year().month().day())
        else { return nil }
        // Every calendar day from the first to the last, so quiet days show as gaps.
        let dayCount = Int((end.timeIntervalSince(start) / 86_400).rounded()) + 1
        let days = (0..<dayCount).map { TallyDay(start.addingTimeInterval(Double($0) * 86_400)).iso }
        let width = 680
        let height = 220
        let baseline = 200
        let slot = Double(width - 40) / Double(days.count)
        let bars = days.enumerated().map { offset, day -> SignatureChart.Bar in
            let count = byDay[day] ?? 0
            let barHeight = Double(baseline - 10) * Double(count) / Double(maximum)
            // A few days must not make bars as wide as the page.
            let barWidth = min(max(slot * 0.8, 0.5), 24)
            return SignatureChart.Bar(
                x: String(format: "%.2f", 40 + Double(offset) * slot + (slot - barWidth) / 2),
                y: String(format: "%.2f", Double(baseline) - barHeight),
                width: String(format: "%.2f", barWidth),
                height: String(format: "%.2f", barHeight),
                title: "\(day): \(count.formatted(.number.locale(language.locale)))"
            )
        }
        return Chart(
            width: width, height: height, baseline: baseline, bars: bars, firstDay: first, lastDay: last,
            maximum: maximum.formatted(.number.locale(language.locale)),
            summary: catalogue.text("dossier_chart_summary", in: language, [
                "days": String(days.count), "first": first, "last": last, "maximum": maximum.formatted(.number.locale(language.locale)),
            ])
        )
    }
}
