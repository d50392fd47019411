import Foundation
import VigilCore
import VigilStore

/// Signatures over time, drawn on the server as SVG so it shows without JavaScript: the
/// running total against the goal, and the signatures confirmed each day, with a table of the
/// same figures and a sentence on when the goal falls at the recent pace.
///
/// Every value is a number or a formatted string: the template draws it, and nothing from
/// the data becomes markup.
struct SignatureChart {
    struct Point {
        let x: String
        let y: String
    }

    struct Bar {
        let x: String
        let y: String
        let width: String
        let height: String
        let title: String
    }

    struct Row {
        let day: String
        let count: String
        let total: String
    }

    static let width = 640
    /// The fewest days the chart spans.
    static let shortestSpan = 14
    static let left = 56.0
    static let right = 628.0
    /// The running-total chart's plot area, top to bottom.
    static let totalTop = 14.0
    static let totalBottom = 170.0
    /// The daily bars' plot area.
    static let barsTop = 8.0
    static let barsBottom = 90.0

    let width = Self.width
    let totalHeight = 176
    let barsHeight = 96
    let left = String(Int(Self.left))
    let right = String(Int(Self.right))
    let totalBottom = String(Int(Self.totalBottom))
    let barsBottom = String(Int(Self.barsBottom))

    /// The running total, one point per day, as an SVG `points` list.
    let totalLine: String
    /// The area under the running total, closed along the axis.
    let totalArea: String
    let goalY: String
    let goalLabel: String
    let bars: [Bar]
    let barsMaximum: String
    let firstDay: String
    let lastDay: String
    let summary: String
    let pace: String
    let rows: [Row]

    /// The chart of a petition's signatures, or `nil` before anyone has signed here.
    ///
    /// - Parameters:
    ///   - byDay: signatures confirmed here, by day since 1970.
    ///   - before: signatures counted before the first day (collected elsewhere), where the
    ///     running total starts.
    init?(byDay: [Int64: Int], before: Int, goal: Int, today: Int64, language: Language, catalogue: MessageCatalogue) {
        guard let firstSigned = byDay.filter({ $0.value > 0 }).keys.min() else { return nil }
        // Two weeks at least, so the first days of a campaign have a scale to be read against.
        let first = min(firstSigned, today - Int64(Self.shortestSpan - 1))
        let last = max(today, byDay.keys.max() ?? today)
        let days = Array(first...last)
        let locale = language.locale
        let number = { (value: Int) in value.formatted(.number.locale(locale)) }
        let format = Date.FormatStyle(date: .abbreviated, time: .omitted, timeZone: TimeZone(identifier: "UTC") ?? .current).locale(locale)
        let date = { (day: Int64) in Date(timeIntervalSince1970: Double(day) * 86_400).formatted(format) }

        var running = before
        var totals: [Int] = []
        for day in days {
            running += max(0, byDay[day] ?? 0)
            totals.append(running)
        }
        let top = Double(max(goal, running)) * 1.08
        let slot = (Self.right - Self.left) / Double(days.count)
        let centre = { (index: Int) in Self.left + slot * (Double(index) + 0.5) }
        let totalY = { (value: Int) in Self.totalBottom - (Self.totalBottom - Self.totalTop) * Double(value) / top }
        let format2 = { (value: Double) in String(format: "%.1f", value) }

        let points = [Point(x: format2(Self.left), y: format2(totalY(before)))]
            + totals.enumerated().map { Point(x: format2(centre($0)), y: format2(totalY($1))) }
        totalLine = points.map { "\($0.x),\($0.y)" }.joined(separator: " ")
        totalArea = "\(format2(Self.left)),\(format2(Self.totalBottom)) " + totalLine
            + " \(points.last?.x ?? format2(Self.right)),\(format2(Self.totalBottom))"
        goalY = format2(totalY(goal))
        goalLabel = catalogue.text("chart_goal", in: language, ["goal": number(goal)])

        let largest = max(1, days.map { byDay[$0] ?? 0 }.max() ?? 1)
        let barWidth = min(max(slot * 0.75, 1), 24)
        bars = days.enumerated().compactMap { index, day in
            let count = byDay[day] ?? 0
            guard count > 0 else { return nil }
            let height = (Self.barsBottom - Self.barsTop) * Double(count) / Double(largest)
            return Bar(
                x: format2(centre(index) - barWidth / 2), y: format2(Self.barsBottom - height),
                width: format2(barWidth), height: format2(height),
                title: "\(date(day)): \(number(count))"
            )
        }
        barsMaximum = number(largest)
        firstDay = date(first)
        lastDay = date(last)
        summary = catalogue.text("chart_summary", count: running - before, in: language, [
            "first": date(first), "last": date(last), "total": number(running), "goal": number(goal),
        ])
        let recent = PetitionPace(byDay: byDay, today: today)
        if running >= goal {
            pace = catalogue.text("chart_goal_reached", in: language)
        } else if let day = recent.dayGoalReached(total: running, goal: goal, today: today) {
            pace = catalogue.text("chart_pace", in: language, ["per_day": number(Int(recent.perDay.rounded())), "date": date(day)])
        } else {
            pace = catalogue.text("chart_pace_unknown", in: language)
        }
        // Newest first, and only the days someone signed: the table is read, not scanned.
        rows = zip(days, totals).reversed().filter { (byDay[$0.0] ?? 0) > 0 }.map { day, total in
            Row(day: date(day), count: number(byDay[day] ?? 0), total: number(total))
        }
    }
}
