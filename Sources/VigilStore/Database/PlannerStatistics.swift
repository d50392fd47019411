import Logging
import SQLKit
import VigilCore

/// Keeps PostgreSQL's statistics of the signature table in step with a table that grows fast.
///
/// PostgreSQL plans each query from statistics that autovacuum gathers at most once a minute.
/// A campaign that goes viral from an empty table is planned, for that minute, as if the table
/// were still empty: the writer's lookup of a batch's addresses then read every signature of
/// the petition instead of probing the unique index, and took 47–91 ms instead of
/// 4 ms at 160,000 signatures. The writer therefore has the table analysed whenever it has
/// doubled since the last analysis (and grown by at least ``minimumGrowth`` rows), one
/// analysis at a time, beside the writes. SQLite plans without such statistics and needs none.
final class PlannerStatistics: Sendable {
    /// The fewest new rows worth an analysis.
    static let minimumGrowth = 1_000

    private let analyse: @Sendable () async throws -> Void
    private let logger: Logger
    private let state: Locked<(rows: Int, analysedAt: Int, running: Bool)>

    /// - Parameters:
    ///   - rows: the table's size as the statistics last saw it (0 if never analysed).
    ///   - analyse: runs `ANALYZE` on the table.
    init(rows: Int, logger: Logger, analyse: @escaping @Sendable () async throws -> Void) {
        state = Locked((max(0, rows), max(0, rows), false))
        self.logger = logger
        self.analyse = analyse
    }

    /// The signature table's size as PostgreSQL's statistics see it, for ``init(rows:logger:analyse:)``.
    static func rowsSeen(on database: any SQLDatabase) async throws -> Int {
        // -1 when the table was never analysed.
        let rows = try await database.raw("SELECT reltuples::BIGINT AS n FROM pg_class WHERE oid = 'signatures'::regclass").first()
        return try rows?.decode(column: "n", as: Int.self) ?? 0
    }

    /// Counts rows a commit added, and starts an analysis if the table has doubled since the last.
    func inserted(_ count: Int) {
        guard count > 0 else { return }
        let start = state.withLock { state -> Bool in
            state.rows += count
            guard !state.running, state.rows - state.analysedAt >= max(Self.minimumGrowth, state.analysedAt) else { return false }
            state.running = true
            state.analysedAt = state.rows
            return true
        }
        guard start else { return }
        Task { [self] in
            do {
                try await analyse()
            } catch {
                // Autovacuum still analyses within a minute; the next doubling tries again.
                logger.warning("could not analyse the signature table: \(error)")
            }
            state.withLock { $0.running = false }
        }
    }
}
