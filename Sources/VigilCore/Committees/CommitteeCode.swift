/// The short code in a committee's referral link, `/c/{code}`: letters, digits and inner
/// hyphens, lower case, 3 to 32 characters.
///
/// Codes are printed on posters and typed from them, so generated ones leave out the
/// characters people confuse (0 and o, 1, i and l).
public struct CommitteeCode: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let text: String

    /// Characters of generated codes.
    static let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")
    /// Length of generated codes: 31⁸ ≈ 8.5 × 10¹¹ codes, so guessing one is hopeless and
    /// two committees practically never draw the same.
    static let generatedLength = 8

    /// Reads a code as typed, in any letter case; `nil` when it has other characters, an
    /// outer hyphen, or a length outside 3…32.
    public init?(_ typed: String) {
        let text = typed.lowercased()
        guard (3...32).contains(text.count), !text.hasPrefix("-"), !text.hasSuffix("-"),
              text.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" })
        else { return nil }
        self.text = text
    }

    /// A new random code.
    public static func random(using random: any RandomSource) -> CommitteeCode {
        // 248 is the largest multiple of 31 below 256: rejecting bytes above it keeps every
        // character equally likely.
        var characters: [Character] = []
        while characters.count < generatedLength {
            for byte in random.bytes(generatedLength) where byte < 248 && characters.count < generatedLength {
                characters.append(alphabet[Int(byte) % alphabet.count])
            }
        }
        return CommitteeCode(checked: String(characters))
    }

    /// A code already known to be well formed.
    private init(checked text: String) {
        self.text = text
    }

    /// The referral link's path.
    public var referralPath: String { "/c/\(text)" }

    public var description: String { text }

    public static func < (lhs: CommitteeCode, rhs: CommitteeCode) -> Bool { lhs.text < rhs.text }
}
