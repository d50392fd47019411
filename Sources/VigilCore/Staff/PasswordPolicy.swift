/// What a staff password must be: long, and not one that attackers try first.
public struct PasswordPolicy: Sendable {
    /// Fewer characters than this are refused.
    public static let minimumLength = 12

    /// Passwords known from breaches or too obvious to use, lower-cased.
    private let forbidden: Set<String>

    /// Why a password was refused.
    public enum Problem: Error, Sendable, Equatable {
        case tooShort(minimum: Int)
        case tooCommon
        case containsEmail
        case tooRepetitive

        /// The key of the message explaining it, in the message catalogue.
        public var messageKey: String {
            switch self {
            case .tooShort: "password_too_short"
            case .tooCommon: "password_too_common"
            case .containsEmail: "password_contains_email"
            case .tooRepetitive: "password_too_repetitive"
            }
        }
    }

    /// - Parameter forbidden: the bundled list of breached and trivial passwords.
    public init(forbidden: some Sequence<String>) {
        self.forbidden = Set(forbidden.map { $0.lowercased() })
    }

    /// Checks a password for the account with this e-mail address.
    public func check(_ password: String, email: String) throws(Problem) {
        guard password.count >= Self.minimumLength else { throw .tooShort(minimum: Self.minimumLength) }
        let lowered = password.lowercased()
        if forbidden.contains(lowered) || forbidden.contains(lowered.filter { $0.isLetter }) {
            throw .tooCommon
        }
        let localPart = email.lowercased().split(separator: "@").first.map(String.init) ?? ""
        if localPart.count >= 4 && lowered.contains(localPart) {
            throw .containsEmail
        }
        // A handful of characters repeated ("aaaaaaaaaaaa", "abcabcabcabc") is no password.
        if Set(lowered).count < 5 {
            throw .tooRepetitive
        }
    }
}
