import Foundation
import NIOCore
import VigilCore

/// Rendered pages kept as bytes, per page and language, until the data they show changes.
///
/// A cached page has slots where each visitor's own values go — the CSRF token, and the
/// proof-of-work challenge while the site is under attack — so one rendering serves everyone:
/// the page is stored as the pieces around the slots and joined with the values on the way
/// out, which costs a copy, not a render.
final class PageCache: Sendable {
    /// A place in a cached page filled per request.
    enum Slot: String, Sendable, CaseIterable {
        /// Rendered where the CSRF token belongs; letters and digits only, so escaping leaves it intact.
        case token = "VIGILCSRFSLOT5e1f93"
        /// Rendered where the sign form's proof-of-work challenge belongs.
        case challenge = "VIGILPOWSLOT7c2d41"
    }

    static let tokenSlot = Slot.token.rawValue
    static let challengeSlot = Slot.challenge.rawValue

    struct Entry: Sendable {
        let version: Int64
        let pieces: [ByteBuffer]
        /// The slot between each piece and the next.
        let slots: [Slot]
        let size: Int

        /// The page with its slots filled in.
        func page(token: String, challenge: String = "") -> ByteBuffer {
            var buffer = ByteBuffer()
            buffer.reserveCapacity(size + slots.count * max(token.utf8.count, challenge.utf8.count))
            for (index, piece) in pieces.enumerated() {
                if index > 0 { buffer.writeString(slots[index - 1] == .token ? token : challenge) }
                buffer.writeImmutableBuffer(piece)
            }
            return buffer
        }
    }

    private struct State {
        var entries: [String: Entry] = [:]
        /// Renderings under way, with the requests waiting for each.
        var rendering: [Flight: [CheckedContinuation<Entry?, Never>]] = [:]
    }

    private let state = Locked(State())

    /// A page at a version.
    private struct Flight: Hashable {
        let key: String
        let version: Int64
    }

    /// The cached page for `key` if it was rendered at `version`, or a new rendering.
    ///
    /// One request renders a page at a version; the others that ask for it meanwhile wait for
    /// that rendering. When the counter moved under load, dozens of requests used to render
    /// the same page at once, each taking its turn on the CPU, and some waited half a second.
    func page(_ key: String, version: Int64, render: () async throws -> String) async throws -> Entry {
        let flight = Flight(key: key, version: version)
        while true {
            enum Turn { case cached(Entry), wait, render }
            let turn = state.withLock { state -> Turn in
                if let entry = state.entries[key], entry.version == version { return .cached(entry) }
                if state.rendering[flight] != nil { return .wait }
                state.rendering[flight] = []
                return .render
            }
            switch turn {
            case .cached(let entry):
                return entry
            case .wait:
                // Nil when that rendering failed or ended before this request joined it: look again.
                if let entry = await rendering(flight) { return entry }
            case .render:
                do {
                    let text = try await render()
                    let (pieces, slots) = Self.split(text)
                    let entry = Entry(version: version, pieces: pieces, slots: slots, size: text.utf8.count)
                    let waiting = state.withLock { state in
                        // Never replace a newer rendering with an older one rendered concurrently.
                        if (state.entries[key]?.version ?? .min) <= version { state.entries[key] = entry }
                        return state.rendering.removeValue(forKey: flight) ?? []
                    }
                    for request in waiting { request.resume(returning: entry) }
                    return entry
                } catch {
                    // The error is this request's own (it may have been cancelled); the others try again.
                    let waiting = state.withLock { $0.rendering.removeValue(forKey: flight) ?? [] }
                    for request in waiting { request.resume(returning: nil) }
                    throw error
                }
            }
        }
    }

    /// Waits for the rendering `flight` under way, if it still is.
    private func rendering(_ flight: Flight) async -> Entry? {
        await withCheckedContinuation { continuation in
            let joined = state.withLock { state in
                guard state.rendering[flight] != nil else { return false }
                state.rendering[flight, default: []].append(continuation)
                return true
            }
            if !joined { continuation.resume(returning: nil) }
        }
    }

    /// A rendering cut at each slot, in order.
    static func split(_ text: String) -> (pieces: [ByteBuffer], slots: [Slot]) {
        var pieces: [ByteBuffer] = []
        var slots: [Slot] = []
        var rest = text[...]
        while let next = Slot.allCases.compactMap({ slot in rest.range(of: slot.rawValue).map { (range: $0, slot: slot) } })
            .min(by: { $0.range.lowerBound < $1.range.lowerBound }) {
            let (range, slot) = next
            pieces.append(ByteBuffer(substring: rest[..<range.lowerBound]))
            slots.append(slot)
            rest = rest[range.upperBound...]
        }
        pieces.append(ByteBuffer(substring: rest))
        return (pieces, slots)
    }
}
