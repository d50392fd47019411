import Foundation

/// What a person's timeline says about their custody: whether they are held, since when, and
/// under what sentence. Derived from the events each time, never stored, so it cannot
/// disagree with them.
public struct Custody: Sendable, Equatable {
    public var status: Status
    /// The date custody began, or became known to have begun.
    public var since: PartialDate?
    /// `true` when ``since`` is the date an arrest was announced, not the date it happened:
    /// the person may have been held longer.
    public var sinceIsAnnouncement: Bool
    /// The date custody ended, by release or death.
    public var until: PartialDate?
    /// The years of the latest sentence.
    public var sentenceYears: Int?

    /// Where a person stands now.
    public enum Status: String, Sendable, Codable, CaseIterable {
        /// Nothing in the timeline says.
        case unknown
        /// Reported missing; custody not confirmed.
        case missing
        /// Held, with no trial recorded.
        case held
        /// Charged or on trial.
        case onTrial = "on-trial"
        case sentenced
        case released
        case died
    }

    /// Whether the person is in custody as far as the timeline knows.
    public var isHeld: Bool { [.held, .onTrial, .sentenced].contains(status) }

    /// Reads the events in order, as a record keeps them (oldest first).
    public init(events: [TimelineEvent], proceedings: [Proceeding]) {
        status = .unknown
        since = nil
        sinceIsAnnouncement = false
        until = nil
        sentenceYears = nil
        for event in events {
            switch event.kind {
            case .reportedMissing:
                if status == .unknown { status = .missing }
            case .detained, .abducted, .arrestAnnounced:
                // Only the first event of a period of custody dates it; later ones (an
                // abduction followed by the announcement of an arrest) do not move its start.
                if !isHeld {
                    since = event.date
                    sinceIsAnnouncement = event.kind == .arrestAnnounced
                    until = nil
                    status = .held
                }
            case .charged, .tried:
                if status != .sentenced && status != .released && status != .died { status = .onTrial }
            case .sentenced:
                status = .sentenced
                sentenceYears = proceedings.first { $0.key == event.proceeding }?.sentenceYears ?? sentenceYears
            case .appealRejected, .transferred:
                break
            case .released:
                status = .released
                until = event.date
            case .died:
                status = .died
                until = event.date
            }
        }
    }

    /// How long the person has been (or was) held, counted to `now` or to the end of custody;
    /// `nil` when the start of custody is not dated.
    public func timeHeld(now: Date) -> TimeHeld? {
        guard let since, status != .missing, status != .unknown else { return nil }
        return TimeHeld(since: since, sinceIsAnnouncement: sinceIsAnnouncement, until: until, now: now)
    }
}

/// A number of days in custody that Vigil can vouch for.
public struct TimeHeld: Sendable, Equatable {
    public let days: Int
    /// `true` when the real figure may be larger: the start is known only to the month or the
    /// year (counting then starts from the last day it may have been), or only as the day the
    /// arrest was announced.
    public let isMinimum: Bool

    public init(days: Int, isMinimum: Bool) {
        self.days = days
        self.isMinimum = isMinimum
    }

    /// Counts whole days from the start of custody to the end of custody, or to `now`'s day in UTC.
    public init(since: PartialDate, sinceIsAnnouncement: Bool, until: PartialDate?, now: Date) {
        let exactStart = since.precision == .day && !sinceIsAnnouncement
        let start = exactStart ? since.firstDay : since.lastDay
        let end = until?.firstDay ?? PartialDate(dayOf: now).firstDay
        days = max(0, PartialDate.days(from: start, to: end))
        isMinimum = !exactStart || (until.map { $0.precision != .day } ?? false)
    }
}

extension Detainee {
    /// The person's custody as the timeline tells it.
    public var custody: Custody { Custody(events: events, proceedings: proceedings) }
}
