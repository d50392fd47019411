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

    private let entries = Locked<[String: Entry]>([:])

    /// The cached page for `key` if it was rendered at `version`, or a new rendering.
    func page(_ key: String, version: Int64, render: () async throws -> String) async rethrows -> Entry {
        if let entry = entries.withLock({ $0[key] }), entry.version == version {
            return entry
        }
        let text = try await render()
        let (pieces, slots) = Self.split(text)
        let entry = Entry(version: version, pieces: pieces, slots: slots, size: text.utf8.count)
        entries.withLock { entries in
            // Never replace a newer rendering with an older one rendered concurrently.
            if let current = entries[key], current.version > version { return }
            entries[key] = entry
        }
        return entry
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
