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
            let method = catalogue.text("delivery_method_\(method.rawValue.replacingOccurrences(of: "-", with: "_"))", in: language)
            let values = ["addressee": event.addressee, "method": method, "reference": reference ?? ""]
            return catalogue.text(reference == nil ? "timeline_delivered" : "timeline_delivered_reference", in: language, values)
        case .answered(let summary):
            return catalogue.text("timeline_answered", in: language, ["addressee": event.addressee, "summary": summary])
        }
    }

    private static func formatted(_ date: Date, language: Language) -> String {
        date.formatted(Date.FormatStyle(date: .long, time: .omitted, timeZone: TimeZone(identifier: "UTC") ?? .current).locale(language.locale))
    }
}

/// Each petition's delivery timeline, re-read from the database at most once a minute so that
/// what staff record (from the command line, in another process) shows without a restart,
/// while page views still cost no query.
///
/// Guarded by `NSLock`, not `Synchronization.Mutex`, which was seen to hang on these kernels
/// (docs/decisions.md).
final class TimelineCache: @unchecked Sendable {
    private let store: Store
    private let lifetime: Duration
    private let lock = NSLock()
    private var entries: [Int64: (read: ContinuousClock.Instant, events: [DeliveryEvent])] = [:]

    init(store: Store, lifetime: Duration = .seconds(60)) {
        self.store = store
        self.lifetime = lifetime
    }

    func events(petitionID: Int64) async throws -> [DeliveryEvent] {
        let now = ContinuousClock.now
        if let cached = lock.withLock({ entries[petitionID] }), now - cached.read < lifetime {
            return cached.events
        }
        let events = try await store.deliveryTimeline(petitionID: petitionID)
        lock.withLock { entries[petitionID] = (now, events) }
        return events
    }
}
