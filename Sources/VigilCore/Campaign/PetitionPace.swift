/// How fast a petition gathers signatures lately, and when its goal falls at that pace.
///
/// The pace is the average over the last `window` days up to and including today, so a quiet
/// day lowers it and one burst does not promise too much; today's unfinished day counts as a
/// whole one, which errs on the side of a later date.
public struct PetitionPace: Sendable, Equatable {
    /// Days averaged over.
    public let window: Int
    /// Signatures a day, on average over the window.
    public let perDay: Double

    /// - Parameters:
    ///   - byDay: signatures by day, in days since 1970 (UTC).
    ///   - today: today, in days since 1970.
    public init(byDay: [Int64: Int], today: Int64, window: Int = 7) {
        self.window = window
        let recent = byDay.filter { $0.key > today - Int64(window) && $0.key <= today }.values.reduce(0, +)
        perDay = Double(max(0, recent)) / Double(window)
    }

    /// The day the goal is reached if the pace holds: today when it is already met, `nil` when
    /// nothing was signed in the window, or when the date is more than ten years away, which
    /// says no more than "not at this pace".
    public func dayGoalReached(total: Int, goal: Int, today: Int64) -> Int64? {
        let remaining = goal - total
        guard remaining > 0 else { return today }
        guard perDay > 0 else { return nil }
        let days = (Double(remaining) / perDay).rounded(.up)
        guard days <= 3_650 else { return nil }
        return today + Int64(days)
    }
}
