import Foundation
import SQLKit

/// The figures the staff dashboard shows for one petition. Counted from the signatures table:
/// the console is read by a few people, not by the crowd.
public struct PetitionFigures: Sendable, Equatable {
    public var confirmed = 0
    public var pending = 0
    public var held = 0
    /// Confirmed in the last 24 hours.
    public var confirmedLastDay = 0
    /// Confirmed signatures per UTC day, oldest first, for the last `days` days with any.
    public var confirmedByDay: [(day: Date, count: Int)] = []

    public static func == (lhs: PetitionFigures, rhs: PetitionFigures) -> Bool {
        lhs.confirmed == rhs.confirmed && lhs.pending == rhs.pending && lhs.held == rhs.held
            && lhs.confirmedLastDay == rhs.confirmedLastDay
            && lhs.confirmedByDay.map(\.day) == rhs.confirmedByDay.map(\.day)
            && lhs.confirmedByDay.map(\.count) == rhs.confirmedByDay.map(\.count)
    }
}

extension Store {
    /// The dashboard's figures for a petition, with confirmations per day over the last `days` days.
    public func figures(petitionID: Int64, days: Int = 30) async throws -> PetitionFigures {
        let recount = try await recount(petitionID: petitionID)
        var figures = PetitionFigures(confirmed: recount.confirmed, pending: recount.pending, held: recount.held)
        let nowMS = now().storedMilliseconds
        let dayMS: Int64 = 86_400_000
        figures.confirmedLastDay = try await signatureCount(
            where: """
                petition_id = \(bind: petitionID) AND status = 'confirmed' AND revoked_reason IS NULL AND confirmed_at >= \(bind: nowMS - dayMS)
                """
        )
        figures.confirmedByDay = try await reader.raw(
            """
            SELECT confirmed_at / \(literal: dayMS) AS day, COUNT(*) AS n FROM signatures
            WHERE petition_id = \(bind: petitionID) AND status = 'confirmed' AND revoked_reason IS NULL
              AND confirmed_at >= \(bind: (nowMS / dayMS - Int64(days - 1)) * dayMS)
            GROUP BY confirmed_at / \(literal: dayMS) ORDER BY day
            """
        ).all().map { row in
            (
                Date(storedMilliseconds: try row.decode(column: "day", as: Int64.self) * dayMS),
                try row.decode(column: "n", as: Int.self)
            )
        }
        return figures
    }
}
