/// Finds people by any of their names, forgiving script, accents, case, spelling schemes
/// and small typos.
///
/// Every word of the query must match some word of one of the person's names: exactly after
/// ``NameFolding``, as the beginning of a word (three letters or more), or within a small
/// edit distance (one edit for words of four to seven letters, two for longer ones). Exact
/// matches rank above beginnings, and beginnings above near misses; people who rank the same
/// keep the registry's order.
public struct NameIndex<ID: Hashable & Sendable>: Sendable {
    private struct Entry: Sendable {
        let id: ID
        let words: Set<String>
    }

    private let entries: [Entry]

    /// - Parameter entries: each person's id and all the names they may be searched by, in the
    ///   order results should keep among equals.
    public init(_ entries: [(id: ID, names: [String])]) {
        self.entries = entries.map { entry in
            Entry(id: entry.id, words: Set(entry.names.flatMap(NameFolding.tokens)))
        }
    }

    /// The ids of the people the query finds, best first; empty for an empty query.
    public func search(_ query: String) -> [ID] {
        let words = NameFolding.tokens(query)
        guard !words.isEmpty else { return [] }
        var found: [(id: ID, score: Int, order: Int)] = []
        for (order, entry) in entries.enumerated() {
            let total = Self.score(words, against: entry.words)
            if total > 0 { found.append((entry.id, total, order)) }
        }
        return found.sorted { ($0.score, -$0.order) > ($1.score, -$1.order) }.map(\.id)
    }

    /// How well a query matches one name: 0 when it does not, higher for closer matches.
    /// Lets a page say which of a person's names a search found.
    public static func score(query: String, name: String) -> Int {
        score(NameFolding.tokens(query), against: Set(NameFolding.tokens(name)))
    }

    /// The sum of each query word's best match, or 0 when any word matches nothing.
    private static func score(_ words: [String], against candidates: Set<String>) -> Int {
        guard !words.isEmpty else { return 0 }
        var total = 0
        for word in words {
            let best = candidates.map { score(query: word, candidate: $0) }.max() ?? 0
            guard best > 0 else { return 0 }
            total += best
        }
        return total
    }

    /// 10 for an exact match, 6 for a beginning, 4 or 3 for one or two edits, 0 for no match.
    static func score(query: String, candidate: String) -> Int {
        if query == candidate { return 10 }
        if query.count >= 3 && candidate.hasPrefix(query) { return 6 }
        let allowed = query.count >= 8 ? 2 : (query.count >= 4 ? 1 : 0)
        guard allowed > 0, let distance = editDistance(query, candidate, limit: allowed) else { return 0 }
        return 5 - distance
    }

    /// The optimal-string-alignment distance (insertions, deletions, substitutions and swaps
    /// of neighbours), or `nil` when it exceeds `limit`.
    static func editDistance(_ a: String, _ b: String, limit: Int) -> Int? {
        let a = Array(a), b = Array(b)
        guard abs(a.count - b.count) <= limit else { return nil }
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) <= limit ? max(a.count, b.count) : nil }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMinimum = current[0]
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, previous2[j - 2] + 1)
                }
                current[j] = value
                rowMinimum = min(rowMinimum, value)
            }
            if rowMinimum > limit { return nil }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count] <= limit ? previous[b.count] : nil
    }
}
