import Foundation
import VigilCore
import VigilStore

/// The public "what happened" lines of a petition: deliveries and answers, in words.
enum TimelineView {
    struct Line {
        let date: String
        let text: String
    }

    static func line(_ event: DeliveryEvent, language: Language, catalogue: MessageCatalogue) -> String {
        let date = formatted(event.date, language: language)
        return date + ": " + text(event, language: language, catalogue: catalogue)
    }

    static func lines(_ events: [DeliveryEvent], language: Language, catalogue: MessageCatalogue) -> [Line] {
        events.map { Line(date: formatted($0.date, language: language), text: text($0, language: language, catalogue: catalogue)) }
    }

    private static func text(_ event: DeliveryEvent, language: Language, catalogue: MessageCatalogue) -> String {
        switch event.kind {
        case .delivered(let method, let reference):
            let method = methodName(method, language: language, catalogue: catalogue)
            let values = ["addressee": event.addressee, "method": method, "reference": reference ?? ""]
            return catalogue.text(reference == nil ? "timeline_delivered" : "timeline_delivered_reference", in: language, values)
        case .answered(let summary):
            return catalogue.text("timeline_answered", in: language, ["addressee": event.addressee, "summary": summary])
        }
    }

    /// How a petition was delivered, in words: "by e-mail", "in person" …
    static func methodName(_ method: Delivery.Method, language: Language, catalogue: MessageCatalogue) -> String {
        catalogue.text("delivery_method_\(method.rawValue.replacingOccurrences(of: "-", with: "_"))", in: language)
    }

    private static func formatted(_ date: Date, language: Language) -> String {
        date.formatted(Date.FormatStyle(date: .long, time: .omitted, timeZone: TimeZone(identifier: "UTC") ?? .current).locale(language.locale))
    }
}

/// Each petition's delivery timeline, re-read from the database at most once a minute so that
/// what staff record from the command line (another process) shows without a restart, while
/// page views still cost no query. What the console records is shown at once (`forget`).
final class TimelineCache: Sendable {
    private struct State {
        var entries: [Int64: (read: ContinuousClock.Instant, events: [DeliveryEvent])] = [:]
        /// How many times each petition's timeline was forgotten.
        var forgotten: [Int64: Int] = [:]
    }

    private let store: Store
    private let lifetime: Duration
    private let state = Locked(State())

    init(store: Store, lifetime: Duration = .seconds(60)) {
        self.store = store
        self.lifetime = lifetime
    }

    func events(petitionID: Int64) async throws -> [DeliveryEvent] {
        let now = ContinuousClock.now
        let (cached, generation) = state.withLock { ($0.entries[petitionID], $0.forgotten[petitionID, default: 0]) }
        if let cached, now - cached.read < lifetime {
            return cached.events
        }
        let events = try await store.deliveryTimeline(petitionID: petitionID)
        state.withLock { state in
            // A change recorded while this read was under way may be missing from it: keep it out of the cache.
            if state.forgotten[petitionID, default: 0] == generation { state.entries[petitionID] = (now, events) }
        }
        return events
    }

    /// Drops a petition's timeline, so the next page view reads what was just recorded.
    func forget(petitionID: Int64) {
        state.withLock { state in
            state.entries[petitionID] = nil
            state.forgotten[petitionID, default: 0] += 1
        }
    }
}
