import Foundation

/// A date known to the year, the month or the day, and no more precisely than that.
///
/// Sources often say "September 2023" or only "2023". A `PartialDate` keeps exactly what was
/// said, so Vigil never shows a day it does not know, and counts from the end of the period
/// when it needs a number of days it can vouch for.
public struct PartialDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int?
    public let day: Int?

    /// How much of a date is known.
    public enum Precision: String, Sendable, Codable, CaseIterable {
        case year, month, day
    }

    /// A date from its parts; `nil` when the parts do not make a calendar date (a day without
    /// a month, 31 April, month 13, a year outside 1–9999).
    public init?(year: Int, month: Int? = nil, day: Int? = nil) {
        guard (1...9999).contains(year) else { return nil }
        if let month, !(1...12).contains(month) { return nil }
        if let day {
            guard let month, day >= 1, day <= Self.daysIn(month: month, year: year) else { return nil }
        }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Reads `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, with a four-digit year and two-digit parts.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        let widths = [4, 2, 2]
        guard (1...3).contains(parts.count) else { return nil }
        var numbers: [Int] = []
        for (index, part) in parts.enumerated() {
            guard part.count == widths[index], part.allSatisfy(\.isASCII), part.allSatisfy(\.isNumber),
                  let number = Int(part) else { return nil }
            numbers.append(number)
        }
        self.init(
            year: numbers[0],
            month: numbers.count > 1 ? numbers[1] : nil,
            day: numbers.count > 2 ? numbers[2] : nil
        )
    }

    /// The calendar day (in UTC) a moment falls on.
    public init(dayOf date: Date) {
        let parts = Self.calendar.dateComponents([.year, .month, .day], from: date)
        year = parts.year ?? 1970
        month = parts.month ?? 1
        day = parts.day ?? 1
    }

    public var precision: Precision {
        day != nil ? .day : (month != nil ? .month : .year)
    }

    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`: the form used in files, the database and the API.
    public var description: String {
        var text = String(format: "%04d", year)
        if let month { text += String(format: "-%02d", month) }
        if let day { text += String(format: "-%02d", day) }
        return text
    }

    /// The first day the date may mean, at midnight UTC.
    public var firstDay: Date {
        Self.midnight(year: year, month: month ?? 1, day: day ?? 1)
    }

    /// The last day the date may mean, at midnight UTC: 30 September for "September 2023".
    public var lastDay: Date {
        let lastMonth = month ?? 12
        return Self.midnight(year: year, month: lastMonth, day: day ?? Self.daysIn(month: lastMonth, year: year))
    }

    /// Ordered by year, then month, then day; a date known only to the month comes before
    /// the days of that month.
    public static func < (lhs: PartialDate, rhs: PartialDate) -> Bool {
        (lhs.year, lhs.month ?? 0, lhs.day ?? 0) < (rhs.year, rhs.month ?? 0, rhs.day ?? 0)
    }

    /// The date written for readers of a language, with only the parts that are known:
    /// "September 27, 2023", "September 2023" or "2023" in English.
    public func formatted(in language: Language) -> String {
        let style = Date.FormatStyle(locale: language.locale, timeZone: Self.utc)
        switch precision {
        case .day: return firstDay.formatted(Date.FormatStyle(date: .long, time: .omitted, locale: language.locale, timeZone: Self.utc))
        case .month: return firstDay.formatted(style.month(.wide).year())
        case .year: return firstDay.formatted(style.year())
        }
    }

    /// Whole days from one moment to another, counted in UTC calendar days.
    static func days(from start: Date, to end: Date) -> Int {
        calendar.dateComponents([.day], from: start, to: end).day ?? 0
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = PartialDate(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "'\(text)' is not a date written YYYY, YYYY-MM or YYYY-MM-DD"
            )
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    static let utc = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0) ?? .current

    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = utc
        return calendar
    }()

    private static func midnight(year: Int, month: Int, day: Int) -> Date {
        calendar.date(from: DateComponents(year: year, month: month, day: day)) ?? Date(timeIntervalSince1970: 0)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
