/// The CLDR plural category of a count, which picks the right form of a counted phrase.
public enum PluralCategory: String, Sendable {
    case one, few, many, other

    /// The category of a whole number in a language, after the CLDR plural rules.
    public init(_ count: Int, in language: Language) {
        let n = abs(count)
        switch language {
        case .english:
            self = n == 1 ? .one : .other
        case .french, .armenian:
            self = n <= 1 ? .one : .other
        case .russian:
            let lastDigit = n % 10
            let lastTwo = n % 100
            if lastDigit == 1 && lastTwo != 11 {
                self = .one
            } else if (2...4).contains(lastDigit) && !(12...14).contains(lastTwo) {
                self = .few
            } else {
                self = .many
            }
        }
    }
}
