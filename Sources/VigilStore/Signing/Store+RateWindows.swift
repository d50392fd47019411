import Foundation
import SQLKit

/// One limit on an action, counted in the database: at most `capacity` actions per `seconds`
/// under `key`, in fixed windows of that length.
public struct RateWindow: Sendable, Hashable {
    /// What is limited, already made unreadable (a keyed hash of an address or a network).
    public var key: String
    public var capacity: Int
    public var seconds: Int64

    public init(key: String, capacity: Int, seconds: Int64) {
        self.key = key
        self.capacity = capacity
        self.seconds = seconds
    }

    /// The row of this limit: a key may be limited over several periods.
    var rowKey: String { "\(seconds):\(key)" }
}

extension Store {
    /// The longest window a signing limit uses; rows older than this are over.
    static let longestRateWindowMilliseconds: Int64 = 3_600_000

    /// Counts one action in each window and says, in the same order, which are still within
    /// their capacity. Every window takes its hit, so a client held by one limit is still
    /// counted by the others. One statement, so servers sharing the database count together:
    /// the upsert of each row waits for another server's upsert of the same row.
    public func countInSharedWindows(_ windows: [RateWindow]) async throws -> [Bool] {
        guard !windows.isEmpty else { return [] }
        let nowMS = now().storedMilliseconds
        let rows = windows.map { window -> SQLQueryString in
            let length = window.seconds * 1000
            return "(\(bind: window.rowKey), \(bind: nowMS - nowMS % length), 1)"
        }
        let hits = try await write { database in
            try await database.raw(
                "INSERT INTO rate_windows (key, window_start, hits) VALUES " + rows.joined(separator: ", ")
                    + """
                     ON CONFLICT (key) DO UPDATE SET
                        hits = CASE WHEN rate_windows.window_start = excluded.window_start THEN rate_windows.hits + 1 ELSE 1 END,
                        window_start = excluded.window_start
                    RETURNING key, hits
                    """
            ).all()
        }
        var counted: [String: Int] = [:]
        for row in hits {
            counted[try row.decode(column: "key", as: String.self)] = try row.decode(column: "hits", as: Int.self)
        }
        return windows.map { (counted[$0.rowKey] ?? Int.max) <= $0.capacity }
    }

    /// Deletes the windows that are over, so the table holds only the last hour's keys.
    @discardableResult
    public func forgetEndedRateWindows() async throws -> Int {
        let cutoff = now().storedMilliseconds - Self.longestRateWindowMilliseconds
        return try await write { database in
            try await database.raw("DELETE FROM rate_windows WHERE window_start < \(bind: cutoff) RETURNING key").all().count
        }
    }
}
