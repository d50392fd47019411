import Foundation
import VigilCore

/// The registry's words and dates in one language: labels from the message catalogue, facts
/// in the language asked for (or English), and the time in custody as of `now`.
struct RegistryText {
    let catalogue: MessageCatalogue
    let language: Language
    let now: Date

    func text(_ key: String, _ values: [String: String] = [:]) -> String {
        catalogue.text(key, in: language, values)
    }

    func text(_ key: String, count: Int, _ values: [String: String] = [:]) -> String {
        catalogue.text(key, count: count, in: language, values)
    }

    func localized(_ text: LocalizedText?) -> String? {
        text.map { $0.text(in: language) }
    }

    func date(_ date: PartialDate?) -> String {
        date?.formatted(in: language) ?? text("date_unknown")
    }

    func number(_ value: Int) -> String {
        value.formatted(.number.locale(language.locale))
    }

    /// "Political prisoners (8)".
    func group(_ category: Detainee.Category, count: Int) -> String {
        text("category_" + Self.key(category.rawValue), count: count)
    }

    /// "Political prisoner".
    func category(_ category: Detainee.Category) -> String {
        text("category_name_" + Self.key(category.rawValue))
    }

    func eventKind(_ kind: TimelineEvent.Kind) -> String {
        text("event_" + Self.key(kind.rawValue))
    }

    func status(_ custody: Custody) -> String {
        if custody.status == .sentenced, let years = custody.sentenceYears {
            return text("status_sentenced_years", count: years)
        }
        return text("status_" + Self.key(custody.status.rawValue))
    }

    /// "Held since 28 September 2023", or the date the arrest was announced.
    func heldSince(_ custody: Custody) -> String? {
        guard let since = custody.since, custody.isHeld || custody.status == .released || custody.status == .died else {
            return nil
        }
        if custody.status == .released || custody.status == .died, let until = custody.until {
            return text("held_from_to", ["from": date(since), "to": date(until)])
        }
        return text(custody.sinceIsAnnouncement ? "held_since_announced" : "held_since", ["date": date(since)])
    }

    /// "held for 1,158 days", or "held for at least 1,157 days" when the start is not exact.
    func daysHeld(_ custody: Custody) -> String? {
        guard let held = custody.timeHeld(now: now) else { return nil }
        return text(held.isMinimum ? "held_days_minimum" : "held_days", count: held.days)
    }

    /// Catalogue keys use underscores where the data's values use hyphens.
    static func key(_ value: String) -> String {
        value.replacingOccurrences(of: "-", with: "_")
    }
}
