import NIOCore
import VigilCore

/// Rendered pages kept as bytes, per page and language, until the data they show changes.
///
/// A cached page has a slot where each visitor's own CSRF token goes, so one rendering serves
/// everyone: the page is stored as the pieces around the slot and joined with the token on
/// the way out, which costs a copy, not a render.
final class PageCache: Sendable {
    /// Rendered into the page where the token belongs; letters and digits only, so escaping leaves it intact.
    static let tokenSlot = "VIGILCSRFSLOT5e1f93"

    struct Entry: Sendable {
        let version: Int64
        let pieces: [ByteBuffer]
        let size: Int

        /// The page with a token in every slot.
        func page(token: String) -> ByteBuffer {
            var buffer = ByteBuffer()
            buffer.reserveCapacity(size + pieces.count * token.utf8.count)
            for (index, piece) in pieces.enumerated() {
                if index > 0 { buffer.writeString(token) }
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
        let pieces = text.components(separatedBy: Self.tokenSlot).map { ByteBuffer(string: $0) }
        let entry = Entry(version: version, pieces: pieces, size: text.utf8.count)
        entries.withLock { entries in
            // Never replace a newer rendering with an older one rendered concurrently.
            if let current = entries[key], current.version > version { return }
            entries[key] = entry
        }
        return entry
    }
}
