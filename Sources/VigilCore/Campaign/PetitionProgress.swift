/// How far a petition is from its goal, with the count split by where signatures came from.
public struct PetitionProgress: Sendable, Equatable {
    public let goal: Int
    /// Signatures confirmed by e-mail on this site.
    public let confirmedHere: Int
    /// Signatures collected elsewhere and reported to the campaign.
    public let collectedElsewhere: Int

    public init(goal: Int, confirmedHere: Int, externalTallies: [ExternalTally]) {
        self.goal = goal
        self.confirmedHere = confirmedHere
        self.collectedElsewhere = externalTallies.reduce(0) { $0 + $1.count }
    }

    /// Everything that counts toward the goal.
    public var total: Int { confirmedHere + collectedElsewhere }

    /// Signatures still needed; zero once the goal is met.
    public var remaining: Int { max(0, goal - total) }

    /// Share of the goal reached, between 0 and 1, for the progress bar.
    public var fractionOfGoal: Double {
        guard goal > 0 else { return 1 }
        return min(1, Double(total) / Double(goal))
    }

    /// Whole percent of the goal, rounded down so the bar never claims more than is true.
    public var percentOfGoal: Int {
        guard goal > 0 else { return 100 }
        return min(100, total * 100 / goal)
    }
}
